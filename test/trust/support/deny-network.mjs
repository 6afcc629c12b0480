// Preloaded with --import into a CLI child: every way Node opens a connection or resolves a name is replaced by
// one that appends what was attempted to RUNNER_DOCTOR_NETWORK_LOG and throws, so a test can prove lint is offline.
import {appendFileSync} from 'node:fs'
import dgram from 'node:dgram'
import dns from 'node:dns'
import http from 'node:http'
import http2 from 'node:http2'
import https from 'node:https'
import net from 'node:net'
import tls from 'node:tls'

const log = process.env.RUNNER_DOCTOR_NETWORK_LOG

function deny(what) {
  return function denied(...args) {
    const target = args
      .map((a) => (typeof a === 'object' ? JSON.stringify(a, ['host', 'hostname', 'port', 'path', 'href']) : String(a)))
      .join(' ')
    if (log) appendFileSync(log, `${what} ${target}\n`)
    throw new Error(`network access denied in this test: ${what}`)
  }
}

net.Socket.prototype.connect = deny('net.Socket.connect')
net.connect = net.createConnection = deny('net.connect')
tls.connect = deny('tls.connect')
http.request = http.get = deny('http.request')
https.request = https.get = deny('https.request')
http2.connect = deny('http2.connect')
dgram.createSocket = deny('dgram.createSocket')
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveSrv', 'resolveTxt', 'reverse']) {
  dns[name] = deny(`dns.${name}`)
  dns.promises[name] = deny(`dns.promises.${name}`)
}
globalThis.fetch = deny('fetch')
globalThis.WebSocket = deny('WebSocket')
