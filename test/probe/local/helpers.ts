import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {CheckResult, ProbeReport} from '../../../src/probe/types.js'

export interface TempFiles {
  dir: string
  write(name: string, content: string): string
  remove(): void
}

export function tempFiles(): TempFiles {
  const dir = mkdtempSync(join(tmpdir(), 'rd-probe-'))
  return {
    dir,
    write(name, content) {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    },
    remove() {
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

export function check(report: ProbeReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id)
  if (!found) throw new Error(`No check ${id}; the report has ${report.checks.map((c) => c.id).join(', ')}.`)
  return found
}

/** Every remediation is an imperative sentence ending with a period, as the report promises. */
export function expectWellFormed(report: ProbeReport): void {
  for (const c of report.checks) {
    expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    expect(c.summary).toMatch(/[.]$/)
    if (c.status === 'fail' || c.status === 'warn') {
      expect(c.remediation).toMatch(/^[A-Z].*\.$/)
      expect(c.cause).toBeTruthy()
    }
  }
}
