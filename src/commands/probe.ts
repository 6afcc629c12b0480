import {writeFile} from 'node:fs/promises'

import {Command, Flags, type Interfaces} from '@oclif/core'

import {DEFAULT_DEEP_IMAGE} from '../probe/agent/options.js'
import {runLocalProbe, ProbeOptionsError, type LocalProbeOptions} from '../probe/local.js'
import {PROBE_FORMATS, type ProbeFormat, renderProbeReport} from '../probe/report/index.js'
import type {ProbeReport} from '../probe/types.js'
import {unpairedOutputFiles} from '../util/report-outputs.js'
import {outputWidth, wantsColour} from '../util/terminal.js'

/** Accepts `500ms`, `2s`, `1m`, or a bare number of seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim())
  if (!match) throw new ProbeOptionsError(`"${text}" is not a duration; use e.g. 500ms, 2s or 1m.`)
  const value = Number(match[1])
  const unit = match[2] ?? 's'
  return Math.round(unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000)
}

type ProbeFlags = Interfaces.InferredFlags<typeof Probe.flags>

export default class Probe extends Command {
  static override summary = 'Check DNS, Docker-in-Docker and outbound connections where jobs run.'
  static override description = [
    'Runs the same checks a job pod would need: resolv.conf and hosts aliases, raw DNS over UDP and TCP against each ' +
      'nameserver, the Docker daemon on the usual dind ports (plain and TLS), and TCP plus TLS to GitLab and registries.',
    'Exit status: 0 when every check passes (warnings allowed), 1 when a check fails, 2 when the probe could not run.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> probe --local',
    '<%= config.bin %> probe --local --docker-host tcp://docker:2376 --gitlab-url https://gitlab.example.com --format json',
    '<%= config.bin %> probe --local --resolv-conf ./resolv.conf --hosts-file ./hosts --target registry.example.com',
  ]

  static override flags = {
    local: Flags.boolean({description: 'Run the checks here, in the current environment (inside a CI job or any shell).'}),
    'resolv-conf': Flags.string({
      description: "--local only: resolv.conf to read instead of /etc/resolv.conf (in a pod the checks read the pod's own).",
      helpValue: 'PATH',
    }),
    'hosts-file': Flags.string({
      description: "--local only: hosts file to read instead of /etc/hosts (in a pod the checks read the pod's own).",
      helpValue: 'PATH',
    }),
    'docker-host': Flags.string({
      description:
        'Docker endpoint to check (repeatable), as seen where the checks run (in cluster modes: from ' +
        'the pod); default tcp://localhost:2375 and tcp://docker:2376, plus DOCKER_HOST.',
      helpValue: 'tcp://HOST:PORT',
      multiple: true,
    }),
    target: Flags.string({description: 'Extra host name to resolve (repeatable).', helpValue: 'NAME', multiple: true}),
    'gitlab-url': Flags.string({description: 'GitLab URL for the DNS and outbound checks; default $CI_SERVER_URL.', helpValue: 'URL'}),
    registry: Flags.string({
      description: 'Registry host for the DNS and outbound checks (repeatable); default $CI_REGISTRY.',
      helpValue: 'HOST[:PORT]',
      multiple: true,
    }),
    'cluster-domain': Flags.string({description: 'Kubernetes cluster domain.', default: 'cluster.local'}),
    'cert-dir': Flags.string({
      description:
        'Docker client certificates (ca.pem, cert.pem, key.pem), a directory where the checks run ' +
        '(in cluster modes: inside the pod); default $DOCKER_CERT_PATH or /certs/client.',
      helpValue: 'DIR',
    }),
    'tls-ca-file': Flags.string({
      description:
        'Extra CA bundle (PEM) trusted for GitLab and registry handshakes; in cluster modes its content ' +
        "is carried into the pod (default there: the runner's tls-ca-file when readable here).",
      helpValue: 'PATH',
    }),
    timeout: Flags.string({description: 'Timeout for each DNS query, connection and request (500ms, 2s, ...).', default: '2s'}),
    deep: Flags.boolean({
      description: 'Also run a tiny container on the Docker daemon that answers (pull, create, start, wait, remove), as docker run would.',
    }),
    'deep-image': Flags.string({
      description: 'Image --deep runs (its own command); default busybox:1.36 running true.',
      helpValue: 'IMAGE',
      dependsOn: ['deep'],
    }),
    'dind-wait': Flags.string({description: 'How long to wait for a Docker daemon to start listening.', default: '5s'}),
    format: Flags.string({
      char: 'f',
      description:
        'Output format: stylish (fits the terminal), json, markdown (to paste into an incident channel ' +
        'or issue) or junit (for a CI test report); repeat to write several, paired in order with --output-file.',
      options: [...PROBE_FORMATS],
      multiple: true,
      default: ['stylish'],
    }),
    'output-file': Flags.string({
      char: 'o',
      description: 'File for the format in the same position; formats without one go to stdout.',
      multiple: true,
      helpValue: 'PATH',
    }),
    verbose: Flags.boolean({description: 'Show the evidence of every check, and stack traces on errors.'}),
    color: Flags.boolean({
      description: 'Colour the stylish report (default: on a terminal or in a GitLab job, unless NO_COLOR; FORCE_COLOR forces it).',
      allowNo: true,
    }),
    // Cluster modes (src/probe/cluster): a pod shaped like a job pod by default, an existing job pod, or every node.
    kubeconfig: Flags.string({
      description: 'Kubeconfig file; default $KUBECONFIG, ~/.kube/config, or the in-cluster service account.',
      helpValue: 'PATH',
    }),
    context: Flags.string({description: 'Kubeconfig context to use.', helpValue: 'NAME'}),
    as: Flags.string({
      description:
        'Cluster modes: act as this user or system:serviceaccount:NS:NAME for the permission checks, ' +
        "the dry run and the pod (kubectl's --as). Default: the runner's ServiceAccount when --config " +
        'names it and you may impersonate it.',
      helpValue: 'USER',
    }),
    'as-group': Flags.string({description: 'Cluster modes, with --as: a group to act as (one).', helpValue: 'GROUP', dependsOn: ['as']}),
    namespace: Flags.string({
      char: 'n',
      description: 'Namespace for the probe pod; default the runner namespace, else the context namespace.',
      helpValue: 'NAME',
    }),
    config: Flags.string({
      description: 'Runner config.toml or Helm values file whose [runners.kubernetes] settings the probe pod copies.',
      helpValue: 'PATH',
    }),
    runner: Flags.string({description: 'Which [[runners]] entry of --config to mirror, by name.', helpValue: 'NAME'}),
    image: Flags.string({description: 'Node image the checks run in.', default: 'node:24-alpine'}),
    'dind-image': Flags.string({
      description: 'Docker-in-Docker service image; default the runner dind service, else docker:dind.',
      helpValue: 'IMAGE',
    }),
    dind: Flags.boolean({
      description: 'Keep the dind service of the runner config or the job in the pod (--no-dind leaves it out).',
      allowNo: true,
      default: true,
    }),
    var: Flags.string({
      description: 'Job variable for the mirror pod (repeatable), as a job would set it: DOCKER_HOST, KUBERNETES_* overwrites, ...',
      helpValue: 'KEY=VALUE',
      multiple: true,
    }),
    'ci-file': Flags.string({
      description:
        'A .gitlab-ci.yml whose job (--job) gives the mirror pod its services, variables and image, resolved as lint resolves them.',
      helpValue: 'PATH',
      dependsOn: ['job'],
    }),
    job: Flags.string({description: 'The job of --ci-file to mirror.', helpValue: 'NAME', dependsOn: ['ci-file']}),
    'dind-tls': Flags.boolean({
      description: 'Start dind with TLS on 2376 (--no-dind-tls: plain 2375); default from the runner DOCKER_TLS_CERTDIR.',
      allowNo: true,
    }),
    pod: Flags.string({
      description: 'Run the checks in this existing job pod instead of a new pod.',
      helpValue: 'NAME',
      exclusive: ['job-id', 'all-nodes'],
    }),
    'job-id': Flags.string({
      description: 'Run the checks in the pod of this CI job (annotation job.runner.gitlab.com/id).',
      helpValue: 'ID',
      exclusive: ['pod', 'all-nodes'],
    }),
    ephemeral: Flags.boolean({
      description: 'With --pod/--job-id: add an ephemeral Node container when no container has node (it stays until the pod ends).',
    }),
    'all-nodes': Flags.boolean({description: 'Start one probe pod per schedulable node and show which nodes differ.'}),
    parallel: Flags.integer({description: 'With --all-nodes: probe pods running at once.', default: 3, min: 1}),
    cleanup: Flags.boolean({description: 'Delete every probe pod left in the namespace, then exit.'}),
    'start-timeout': Flags.string({description: 'How long the probe pod may take to be scheduled and start.', default: '3m'}),
    'checks-timeout': Flags.string({description: 'How long the checks may run in the pod.', default: '5m'}),
    'poll-interval': Flags.string({description: 'How often to read the pod while waiting.', default: '1s', hidden: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Probe)
    const unpaired = unpairedOutputFiles(flags.format, flags['output-file'] ?? [])
    if (unpaired) return this.couldNotRun(unpaired)
    try {
      // Dispatcher: each mode is one method. The cluster modes (mirror pod, --pod, --all-nodes, --cleanup) plug in here.
      if (flags.local) return await this.runLocal(flags)
      return await this.runCluster(flags)
    } catch (error) {
      if (error instanceof Error && 'oclif' in error) throw error
      if (flags.verbose && error instanceof Error && !(error instanceof ProbeOptionsError)) process.stderr.write(`${error.stack}\n`)
      const message = error instanceof Error ? error.message : String(error)
      return this.couldNotRun(error instanceof ProbeOptionsError ? message : `unexpected error: ${message}`)
    }
  }

  private async runLocal(flags: ProbeFlags): Promise<void> {
    const options: LocalProbeOptions = {
      resolvConf: flags['resolv-conf'],
      hostsFile: flags['hosts-file'],
      dockerHosts: flags['docker-host'],
      targets: flags.target,
      gitlabUrl: flags['gitlab-url'],
      registries: flags.registry,
      clusterDomain: flags['cluster-domain'],
      certDir: flags['cert-dir'],
      tlsCaFile: flags['tls-ca-file'],
      timeoutMs: parseDuration(flags.timeout),
      dindWaitMs: parseDuration(flags['dind-wait']),
      deepImage: flags.deep ? (flags['deep-image'] ?? DEFAULT_DEEP_IMAGE) : undefined,
    }
    for (const [flag, path] of [
      ['--resolv-conf', options.resolvConf],
      ['--hosts-file', options.hostsFile],
      ['--tls-ca-file', options.tlsCaFile],
    ] as const) {
      if (path !== undefined) await assertReadable(flag, path)
    }
    const compact = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as LocalProbeOptions
    const report = await runLocalProbe(compact, {progress: (message) => process.stderr.write(`${message}\n`)})
    await this.emit(report, flags)
    if (report.summary.exitCode !== 0) this.exit(report.summary.exitCode)
  }

  private async runCluster(flags: ProbeFlags): Promise<void> {
    // A flag that would be silently dropped in a pod is refused: a check against the wrong file is a false verdict.
    const localOnly: Array<[string, unknown, string]> = [
      [
        '--resolv-conf',
        flags['resolv-conf'],
        "the checks in the pod read the pod's own /etc/resolv.conf; set dns_policy/dns_config in --config to change it",
      ],
      [
        '--hosts-file',
        flags['hosts-file'],
        "the checks in the pod read the pod's own /etc/hosts; set host_aliases in --config to change it",
      ],
    ]
    const refused = localOnly.find(([, value]) => value !== undefined)
    if (refused) return this.couldNotRun(`${refused[0]} applies to --local only: ${refused[2]}.`)
    // Loaded on demand: the Kubernetes client is heavy, --local does not need it, and it is an optional dependency
    // that a lint-only install (npm install --omit=optional) leaves out.
    const job = await this.jobSettings(flags)
    const {runClusterCommand} = await import('../probe/cluster/command.js').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes('@kubernetes/client-node')) {
        this.error(
          'Cluster mode needs @kubernetes/client-node, an optional dependency this install left out. ' +
            'Install it beside runner-doctor (npm install @kubernetes/client-node@^2), or install runner-doctor ' +
            'without --omit=optional; probe --local works without it.',
          {exit: 2, code: 'RD_KUBERNETES_CLIENT_MISSING'},
        )
      }
      throw error
    })
    const result = await runClusterCommand(
      {
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        as: flags.as,
        asGroup: flags['as-group'],
        namespace: flags.namespace,
        config: flags.config,
        runner: flags.runner,
        image: flags.image,
        dindImage: flags['dind-image'],
        dindTls: flags['dind-tls'],
        job,
        tlsCaFile: flags['tls-ca-file'],
        pod: flags.pod,
        jobId: flags['job-id'],
        ephemeral: flags.ephemeral,
        allNodes: flags['all-nodes'],
        parallel: flags.parallel,
        cleanup: flags.cleanup,
        startTimeoutMs: parseDuration(flags['start-timeout']),
        checksTimeoutMs: parseDuration(flags['checks-timeout']),
        pollIntervalMs: parseDuration(flags['poll-interval']),
        agentOptions: Object.fromEntries(
          Object.entries({
            targets: flags.target,
            gitlabUrl: flags['gitlab-url'],
            registries: flags.registry,
            clusterDomain: flags['cluster-domain'],
            timeoutMs: parseDuration(flags.timeout),
            dindWaitMs: parseDuration(flags['dind-wait']),
            // Addresses and paths as seen from the pod.
            dockerHosts: flags['docker-host'],
            certDir: flags['cert-dir'],
            deepImage: flags.deep ? (flags['deep-image'] ?? DEFAULT_DEEP_IMAGE) : undefined,
          }).filter(([, v]) => v !== undefined),
        ),
      },
      (message) => process.stderr.write(`${message}\n`),
    )
    if (result.report) await this.emit(result.report, flags)
    if (result.exitCode !== 0) this.exit(result.exitCode)
  }

  /** What the job adds to the mirror pod: --no-dind, --var, and the job of --ci-file. */
  private async jobSettings(flags: ProbeFlags) {
    const {jobFromCiFile, parseVarFlags, JobSettingsError} = await import('../probe/cluster/job-settings.js')
    try {
      const fromFile = flags['ci-file'] && flags.job ? await jobFromCiFile(flags['ci-file'], flags.job) : undefined
      if (fromFile?.partial)
        process.stderr.write(
          `${flags['ci-file']}: job ${flags.job} depends on includes or templates outside the file; ` +
            `their services and variables are not known (add them with --var).\n`,
        )
      const variables = {...fromFile?.jobVariables, ...parseVarFlags(flags.var ?? [])}
      return {
        ...(flags.dind ? {} : {dind: false}),
        ...(Object.keys(variables).length ? {jobVariables: variables} : {}),
        ...(fromFile?.jobServices.length ? {jobServices: fromFile.jobServices} : {}),
        ...(fromFile?.jobImage ? {jobImage: fromFile.jobImage} : {}),
      }
    } catch (error) {
      if (error instanceof JobSettingsError) throw new ProbeOptionsError(error.message)
      throw error
    }
  }

  /**
   * Writes each format to its file or to stdout. Resolves once stdout has taken the report: this.exit() right after a
   * write cut a large piped report short (--all-nodes).
   */
  private async emit(report: ProbeReport, flags: ProbeFlags): Promise<void> {
    const terminal = {env: process.env, isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns}
    // Wrapped to the terminal only: piped output keeps one line per item for grep and scripts.
    const width = outputWidth(terminal)
    const color = wantsColour(flags.color, terminal)
    const outputs = flags['output-file'] ?? []
    for (const [index, format] of (flags.format as ProbeFormat[]).entries()) {
      const file = outputs[index]
      if (file) {
        try {
          await writeFile(file, renderProbeReport(report, format, {verbose: flags.verbose}))
        } catch (error) {
          throw new ProbeOptionsError(
            `--output-file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}: the ${format} report was not written.`,
          )
        }
        continue
      }
      const text = renderProbeReport(report, format, {
        verbose: flags.verbose,
        width,
        color: format === 'stylish' && color,
      })
      await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()))
    }
  }

  private couldNotRun(message: string): never {
    process.stderr.write(`runner-doctor probe: ${message}\n`)
    return this.exit(2)
  }
}

async function assertReadable(flag: string, path: string): Promise<void> {
  const {access} = await import('node:fs/promises')
  try {
    await access(path)
  } catch {
    throw new ProbeOptionsError(`${flag} ${path} cannot be read.`)
  }
}
