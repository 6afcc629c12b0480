import {spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import type {ProbeReport} from '../../../src/probe/types.js'

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..')
const CLI = join(REPO_ROOT, 'bin', 'run.cjs')

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  report?: ProbeReport
}

export interface CliOptions {
  /** Called with all stderr so far; may signal the child. */
  onStderr?: (stderr: string, signal: (name: NodeJS.Signals) => void) => void
  timeoutMs?: number
}

/** Runs `runner-doctor` as users do (bin/run.cjs over dist/), with Node 24 from the pinned devDependency. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: {PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), 'rd-home-')), NO_COLOR: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    const limit = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`runner-doctor ${args.join(' ')} did not finish in time; stderr so far:\n${stderr}`))
    }, options.timeoutMs ?? 60_000)
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      options.onStderr?.(stderr, (name) => child.kill(name))
    })
    child.on('close', (code, signal) => {
      clearTimeout(limit)
      let report: ProbeReport | undefined
      try {
        report = stdout.trim() ? (JSON.parse(stdout) as ProbeReport) : undefined
      } catch {
        report = undefined
      }
      resolvePromise({code, signal, stdout, stderr, report})
    })
  })
}

/** Sends the signal once, the first time stderr matches. */
export function signalWhen(pattern: RegExp, name: NodeJS.Signals = 'SIGINT'): CliOptions['onStderr'] {
  let sent = false
  return (stderr, signal) => {
    if (!sent && pattern.test(stderr)) {
      sent = true
      signal(name)
    }
  }
}

/** A runner config.toml for the mirror pod, written to a temp dir. */
export function writeRunnerConfig(kubernetes: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'rd-runner-config-'))
  const path = join(dir, 'config.toml')
  writeFileSync(
    path,
    `concurrent = 4

[[runners]]
  name = "k8s"
  url = "https://gitlab.example.com"
  token = "glrt-not-a-real-token"
  executor = "kubernetes"
  environment = ["DOCKER_TLS_CERTDIR=/certs", "DOCKER_HOST=tcp://docker:2376", "SECRET_THING=do-not-leak"]
  ${extra}
  [runners.kubernetes]
${kubernetes}
`,
  )
  return path
}

/**
 * GitLab's dind-with-TLS recipe, with the dind service in the runner config (the mirror pod takes dind from there);
 * `extra` lines go into [runners.kubernetes] before the tables.
 */
export const privilegedTls = (extra = '') => `    namespace = "ci"
    privileged = true
${extra}
    [[runners.kubernetes.services]]
      name = "docker:dind"
    [[runners.kubernetes.volumes.empty_dir]]
      name = "docker-certs"
      mount_path = "/certs/client"
      medium = "Memory"`

export const PRIVILEGED_TLS_CONFIG = privilegedTls()
