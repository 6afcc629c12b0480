import type {V1Pod} from '@kubernetes/client-node'
import {type KubeApi, toKubeError} from './kube-api.js'
import {EXPIRES_AT_ANNOTATION, PROBE_LABELS, PROBE_SELECTOR, RUN_ID_LABEL} from './mirror-pod.js'

/** Tracks every pod this run may have created, so nothing is left behind whatever happens. */
export class PodLedger {
  private readonly names = new Set<string>()
  private readonly creating = new Set<Promise<unknown>>()

  constructor(
    private readonly kube: KubeApi,
    private readonly namespace: string,
    private readonly progress: (message: string) => void,
  ) {}

  async create(pod: V1Pod): Promise<V1Pod> {
    // Recorded before the call: a create whose answer is lost may still have landed.
    this.names.add(pod.metadata!.name!)
    const call = this.kube.createPod(this.namespace, pod)
    this.creating.add(call)
    void call.catch(() => undefined).finally(() => this.creating.delete(call))
    return call
  }

  async deleteAll(): Promise<string[]> {
    // The timer is cleared: left armed it kept a finished run alive for 20 s (seen when the exit code is 0).
    let giveUp: NodeJS.Timeout | undefined
    await Promise.race([Promise.allSettled([...this.creating]), new Promise((resolve) => (giveUp = setTimeout(resolve, 20_000)))])
    clearTimeout(giveUp)
    const leftovers: string[] = []
    await Promise.all(
      [...this.names].map(async (name) => {
        try {
          const result = await this.kube.deletePod(this.namespace, name)
          if (result === 'deleted') this.progress(`Deleted pod ${name}.`)
          this.names.delete(name)
        } catch (error) {
          leftovers.push(name)
          this.progress(`Could not delete pod ${name}: ${toKubeError(error).message} Remove it with: ${this.cleanupCommand()}`)
        }
      }),
    )
    return leftovers
  }

  /** What to say when the user quits without waiting for deleteAll: the pods left behind and how to remove them. */
  quitNote(): string {
    const pending = [...this.names]
    return pending.length
      ? `Quitting without cleanup; left behind: ${pending.join(', ')}. Remove with: ${this.cleanupCommand()}`
      : 'Quitting.'
  }

  private cleanupCommand(): string {
    return `runner-doctor probe --cleanup --namespace ${this.namespace}`
  }
}

export interface CleanupResult {
  deleted: string[]
  failed: string[]
  kept: string[]
}

/**
 * Removes probe pods found by label: all of them, or with `expiredOnly` only those past their
 * `runner-doctor/expires-at` annotation (what every run does first).
 */
export async function cleanupLeftovers(
  options: {namespace: string; expiredOnly?: boolean; now?: Date},
  deps: {kube: KubeApi; progress: (message: string) => void},
): Promise<CleanupResult> {
  const now = (options.now ?? new Date()).getTime()
  const pods = await deps.kube.listPods(options.namespace, PROBE_SELECTOR)
  const result: CleanupResult = {deleted: [], failed: [], kept: []}
  for (const pod of pods) {
    const name = pod.metadata!.name!
    const labels = pod.metadata?.labels ?? {}
    // The selector already matched; checked again so a server that ignores selectors cannot widen the sweep.
    if (labels['app.kubernetes.io/managed-by'] !== PROBE_LABELS['app.kubernetes.io/managed-by'] || labels['runner-doctor/probe'] !== 'true')
      continue
    const expiresAt = Date.parse(pod.metadata?.annotations?.[EXPIRES_AT_ANNOTATION] ?? '')
    if (options.expiredOnly && !(expiresAt < now)) {
      result.kept.push(name)
      continue
    }
    try {
      await deps.kube.deletePod(options.namespace, name)
      result.deleted.push(name)
      deps.progress(`Deleted probe pod ${name} (run ${labels[RUN_ID_LABEL] ?? 'unknown'}).`)
    } catch (error) {
      result.failed.push(name)
      deps.progress(`Could not delete probe pod ${name}: ${toKubeError(error).message}`)
    }
  }
  return result
}
