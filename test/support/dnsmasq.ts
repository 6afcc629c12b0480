import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {randomLoopbackAddress, udpPortFree} from './loopback.js'

export interface DnsmasqOptions {
  /** name -> IPv4 address, served as dnsmasq host records (exact names). */
  records: Record<string, string>
  /**
   * Domains answered locally and never forwarded: unknown names in them get NXDOMAIN and a record's missing
   * AAAA gets an empty NOERROR, as a real authoritative server answers, instead of REFUSED (there is no upstream).
   */
  localDomains?: string[]
  /** domain -> IPv4 address answered for the domain and every name under it (a wildcard record, `--address`). */
  wildcards?: Record<string, string>
}

export interface Dnsmasq {
  address: string
  pid: number
  stop(): Promise<void>
}

function dnsmasqBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v dnsmasq || ls /usr/sbin/dnsmasq'], {encoding: 'utf8'}).stdout.trim().split('\n')[0]
  if (!found) throw new Error('dnsmasq is not installed; run `bash test/support/system-deps.sh` (Debian package dnsmasq).')
  return found
}

/** Starts Debian dnsmasq on a fresh loopback address, port 53, with only the given records and no upstream. */
export async function startDnsmasq(options: DnsmasqOptions): Promise<Dnsmasq> {
  const binary = dnsmasqBinary()
  const dir = mkdtempSync(join(tmpdir(), 'rd-dnsmasq-'))
  for (let attempt = 0; attempt < 5; attempt++) {
    const address = randomLoopbackAddress()
    if (!(await udpPortFree(address))) continue
    const pidFile = join(dir, 'dnsmasq.pid')
    const args = [
      '--keep-in-foreground',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      '--port=53',
      `--listen-address=${address}`,
      '--bind-interfaces',
      `--pid-file=${pidFile}`,
      '--log-facility=-',
      '--cache-size=0',
      '--user=root',
      ...Object.entries(options.records).map(([name, ip]) => `--host-record=${name},${ip}`),
      ...(options.localDomains ?? []).map((domain) => `--local=/${domain}/`),
      ...Object.entries(options.wildcards ?? {}).map(([domain, ip]) => `--address=/${domain}/${ip}`),
    ]
    const child = spawn(binary, args, {stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const ready = await waitForDnsmasq(child, () => stderr)
    if (ready) {
      return {
        address,
        pid: child.pid!,
        async stop() {
          await stopChild(child)
          rmSync(dir, {recursive: true, force: true})
        },
      }
    }
    if (!/Address already in use/i.test(stderr)) throw new Error(`dnsmasq did not start: ${stderr.trim()}`)
  }
  throw new Error('dnsmasq found no free loopback address after 5 attempts.')
}

function waitForDnsmasq(child: ChildProcess, stderr: () => string): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (/started, version/.test(stderr())) finish(true)
    }, 20)
    const finish = (ok: boolean): void => {
      clearInterval(timer)
      clearTimeout(limit)
      resolve(ok)
    }
    const limit = setTimeout(() => finish(false), 5000)
    child.once('exit', () => finish(false))
  })
}

export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
