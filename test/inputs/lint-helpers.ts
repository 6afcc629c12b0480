import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {lint, type LintOptions} from '../../src/lint/run.js'
import type {FileResult} from '../../src/lint/types.js'

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')

/** Options of a library lint run over `paths`, as the CLI passes them by default. */
export function lintOptions(paths: string[], extra: Partial<LintOptions> = {}): LintOptions {
  return {
    paths,
    cwd: root,
    failOn: 'error',
    inlineConfig: true,
    maxFileBytes: 4 * 1024 * 1024,
    maxFiles: 10_000,
    readStdin: () => Promise.reject(new Error('no stdin in this test')),
    ...extra,
  }
}

/** The result for one file, every finding kept whatever its severity. */
export async function lintOne(path: string): Promise<FileResult> {
  return (await lint(lintOptions([path], {failOn: 'none'}))).files[0]
}

/** A rule's findings as `line:column pointer`. */
export const findingsOf = (file: FileResult, ruleId: string): string[] =>
  file.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.line}:${f.column} ${f.pointer}`)
