// Layers point one way: util <- model <- inputs <- lint <- formatters <- commands, with probe beside lint on top of
// model and inputs (it reads the same runner configs). `npm test` runs this (test/architecture/layers.test.ts); a
// violation names the file and the import.
const layer = (name, mayNotUse) => ({
  name: `${name}-points-down`,
  comment: `src/${name} may not import ${mayNotUse.join(', ')}: that would point up or across the layers.`,
  severity: 'error',
  from: {path: `^src/${name}/`},
  to: {path: `^src/(${mayNotUse.join('|')})/`},
})

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle of imports ties modules that should be independent and breaks load order.',
      severity: 'error',
      from: {},
      to: {circular: true},
    },
    layer('util', ['model', 'inputs', 'cluster', 'lint', 'formatters', 'commands', 'probe', 'docs', 'startup', 'kube']),
    layer('model', ['inputs', 'cluster', 'lint', 'formatters', 'commands', 'probe', 'docs', 'startup', 'kube']),
    layer('inputs', ['cluster', 'lint', 'formatters', 'commands', 'probe', 'docs', 'startup', 'kube']),
    layer('lint', ['cluster', 'formatters', 'commands', 'probe', 'docs', 'startup', 'kube']),
    layer('formatters', ['cluster', 'commands', 'probe', 'docs', 'startup', 'kube']),
    layer('probe', ['cluster', 'lint', 'formatters', 'commands', 'docs', 'startup']),
    // lint --cluster's reader: an input source beside inputs, on model; only commands load it (lazily, for --cluster).
    layer('cluster', ['inputs', 'lint', 'formatters', 'commands', 'probe', 'docs', 'startup']),
    // How to reach a cluster as kubectl does (kubeconfig, credential plugins, proxies): used by probe, cluster and commands.
    layer('kube', ['model', 'inputs', 'cluster', 'lint', 'formatters', 'commands', 'probe', 'docs', 'startup']),
    layer('docs', ['cluster', 'commands', 'probe', 'startup']),
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    exclude: {path: '^src/data/'},
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    enhancedResolveOptions: {extensions: ['.ts', '.cts', '.js', '.json']},
  },
}
