import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export const JUNIT_XSD = fileURLToPath(new URL('../fixtures/formatters/junit.xsd', import.meta.url))

function xmllint(args: string[], input: string): {status: number; stdout: string; stderr: string} {
  const run = spawnSync('xmllint', args, {input, encoding: 'utf8'})
  if (run.error) {
    throw new Error(`xmllint could not be started (${run.error.message}); run test/support/system-deps.sh to install libxml2-utils.`)
  }
  return {status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr}
}

/** Validates a document against the Ant JUnit schema; returns xmllint's complaints, empty when valid. */
export function junitSchemaErrors(xml: string): string {
  const run = xmllint(['--noout', '--schema', JUNIT_XSD, '-'], xml)
  return run.status === 0 ? '' : run.stderr || `xmllint exited ${run.status}`
}

/** Evaluates an XPath expression with a real XML parser; fails if the document is not well-formed. */
export function xpath(xml: string, expression: string): string {
  const run = xmllint(['--xpath', expression, '-'], xml)
  if (run.status !== 0 && run.status !== 10) throw new Error(`xmllint --xpath failed: ${run.stderr}`)
  return run.stdout.trim()
}
