import type {KubeApi} from './kube-api.js'

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown
  off(signal: NodeJS.Signals, listener: () => void): unknown
}

/** The shell's convention: 128 plus the signal's number. */
function exitCodeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130
}

/** The run was stopped by SIGINT or SIGTERM; cleanup has run. */
export class ProbeInterruptedError extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    readonly leftovers: string[],
  ) {
    super(`Interrupted by ${signal}.`)
    this.name = 'ProbeInterruptedError'
  }

  get exitCode(): number {
    return exitCodeFor(this.signal)
  }
}

/** Whether the run was interrupted, and what stops waiting when it is. */
export class Interruption {
  readonly controller = new AbortController()
  signal?: NodeJS.Signals

  interrupt(signal: NodeJS.Signals): void {
    this.signal = signal
    this.controller.abort()
  }

  check(): void {
    if (this.signal) throw new ProbeInterruptedError(this.signal, [])
  }

  /** Stops waiting on a call once interrupted; the call itself may still finish in the background. */
  guard<T>(promise: Promise<T>): Promise<T> {
    this.check()
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new ProbeInterruptedError(this.signal!, []))
      this.controller.signal.addEventListener('abort', onAbort, {once: true})
      promise.then(
        (value) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          resolve(value)
        },
        (error) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      )
    })
  }

  sleep(ms: number): Promise<void> {
    return this.guard(new Promise((resolve) => setTimeout(resolve, ms)))
  }
}

/** Calls through this proxy stop waiting when the run is interrupted. */
export function guarded(kube: KubeApi, interruption: Interruption): KubeApi {
  return new Proxy(kube, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => interruption.guard(Promise.resolve(value.apply(target, args)))
    },
  })
}

/**
 * The first SIGINT or SIGTERM interrupts the run, whose cleanup still runs; a second one quits at once, after printing
 * `quitNote()` (what is left behind). Returns what stops listening.
 */
export function listenForInterrupts(
  interruption: Interruption,
  io: {signals?: SignalSource; progress: (message: string) => void; exit?: (code: number) => void},
  quitNote: () => string,
): () => void {
  const signals = io.signals ?? process
  const onSignal = (signal: NodeJS.Signals) => () => {
    if (!interruption.signal) {
      io.progress(`Interrupted by ${signal}: cleaning up (press Ctrl-C again to quit without cleanup).`)
      interruption.interrupt(signal)
      return
    }
    io.progress(quitNote())
    ;(io.exit ?? process.exit)(exitCodeFor(signal))
  }
  const handlers = {SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM')}
  signals.on('SIGINT', handlers.SIGINT)
  signals.on('SIGTERM', handlers.SIGTERM)
  return () => {
    signals.off('SIGINT', handlers.SIGINT)
    signals.off('SIGTERM', handlers.SIGTERM)
  }
}
