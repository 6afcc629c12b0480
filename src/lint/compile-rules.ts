import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {createAjv} from '../util/ajv.js'
import {CONFIG_SCHEMA} from './config-schema.js'
import {digestOf, loadRules, RULES_DIR, stampsOf, validatorExportName} from './rule.js'

/**
 * Build step: validates every rule against the meta-schema and writes the catalog plus ajv standalone validators,
 * so a lint run neither parses rule YAML nor compiles JSON Schemas (ajv compilation dominated start-up).
 */
export async function compileRules(outDir: string): Promise<number> {
  const rules = await loadRules()
  const ajv = await createAjv({code: {source: true}})
  const refs: Record<string, string> = {[validatorExportName('__config')]: 'config'}
  ajv.addSchema(CONFIG_SCHEMA, 'config')
  for (const rule of rules) {
    if ('schema' in rule.check) {
      ajv.addSchema(typeof rule.check.schema === 'boolean' ? {} : rule.check.schema, `rule:${rule.id}`)
      if (typeof rule.check.schema === 'boolean') continue
      refs[validatorExportName(rule.id)] = `rule:${rule.id}`
    }
  }
  const {default: standaloneCode} = (await import('ajv/dist/standalone/index.js')) as unknown as {
    default: {default: (ajv: unknown, refs: Record<string, string>) => string}
  }
  const code = standaloneCode.default(ajv, refs)
  writeFileSync(join(outDir, 'rules.validators.cjs'), code)
  const catalog = {
    digest: digestOf(RULES_DIR),
    stamps: stampsOf(RULES_DIR),
    rules: rules.map(({source, ...rest}) => ({...rest, source: source.slice(RULES_DIR.length)})),
  }
  writeFileSync(join(outDir, 'rules.catalog.json'), JSON.stringify(catalog))
  return rules.length
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const out = process.argv[2] ?? 'dist'
  const count = await compileRules(out)
  process.stderr.write(`compiled ${count} rules into ${out}/rules.catalog.json and ${out}/rules.validators.cjs\n`)
}
