/** `metav1.Status` bodies shaped like the ones kube-apiserver sends. */
export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

export interface KubeStatus {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Failure' | 'Success'
  message?: string
  reason?: string
  details?: {name?: string; group?: string; kind?: string; causes?: StatusCause[]}
  code: number
}

export class StatusError extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message)
  }
}

export function failure(code: number, reason: string, message: string, details?: KubeStatus['details']): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? {details} : {}),
    code,
  })
}

export const notFound = (kind: string, name: string) => failure(404, 'NotFound', `${kind} "${name}" not found`, {name, kind})
