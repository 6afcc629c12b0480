import {createSocket} from 'node:dgram'

/**
 * A random address in 127.0.0.0/8 so parallel test files (and other suites) each get their own port 53.
 * 127.0.0.1 and the 127.0.0.5x range used by system resolvers are avoided.
 */
export function randomLoopbackAddress(): string {
  const octet = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1))
  return `127.${octet(100, 199)}.${octet(1, 254)}.${octet(1, 254)}`
}

/** True when UDP port 53 on the address is free right now. */
export function udpPortFree(address: string, port = 53): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', () => resolve(false))
    socket.bind(port, address, () => socket.close(() => resolve(true)))
  })
}
