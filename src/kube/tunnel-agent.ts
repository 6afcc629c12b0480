import {request as httpRequest} from 'node:http'
import {Agent as HttpsAgent, type AgentOptions, type RequestOptions} from 'node:https'
import type {Duplex} from 'node:stream'
import {connect as tlsConnect, type ConnectionOptions} from 'node:tls'

/**
 * An https agent that reaches the server through an http proxy's CONNECT tunnel, as kubectl does with HTTPS_PROXY
 * or a kubeconfig proxy-url. The TLS session (CA, client certificate) is end to end; the proxy sees only host:port.
 */
export class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    options: AgentOptions,
  ) {
    super(options)
  }

  override createConnection(requestOptions: RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): Duplex | undefined {
    const options = requestOptions as ConnectionOptions & {host?: string; port?: number}
    const target = `${options.host}:${options.port ?? 443}`
    const headers: Record<string, string> = {Host: target}
    if (this.proxy.username)
      headers['Proxy-Authorization'] =
        `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString('base64')}`
    const connect = httpRequest({host: this.proxy.hostname, port: this.proxy.port || 80, method: 'CONNECT', path: target, headers})
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy()
        callback?.(new Error(`the proxy ${this.proxy.host} refused CONNECT ${target} (HTTP ${response.statusCode})`), socket)
        return
      }
      callback?.(null, tlsConnect({...options, socket, servername: options.servername ?? options.host}))
    })
    connect.once('error', (error) =>
      callback?.(
        Object.assign(new Error(`the proxy ${this.proxy.host} could not be reached: ${error.message}`), {
          code: (error as {code?: string}).code,
        }),
        undefined as unknown as Duplex,
      ),
    )
    connect.end()
    return undefined
  }
}
