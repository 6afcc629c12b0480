import {placeholderKind} from './placeholders.js'

/** A URL's scheme and host, lower case; undefined for text that is not `scheme://host…`. */
export function urlParts(value: string): {scheme: string; host: string} | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/\s]*@)?(\[[^\]]*\]|[^:/?#\s]+)/i.exec(value.trim())
  return m ? {scheme: m[1].toLowerCase(), host: m[2].toLowerCase().replace(/^\[|\]$/g, '')} : undefined
}

/** Loopback: traffic never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1'
}

/**
 * A Kubernetes Service name (`gitlab-webservice-default`, `gitlab.gitlab.svc`, `….svc.cluster.local`): traffic stays
 * on the cluster network, where the GitLab chart itself points its bundled runner with plain http.
 */
export function isClusterServiceHost(host: string): boolean {
  if (/\.svc(\.cluster\.local)?$/.test(host)) return true
  const labels = host.split('.')
  if (!labels.every((l) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l))) return false
  // `service` or `service.namespace`: a second label that is no top-level domain names a namespace.
  return labels.length === 1 || (labels.length === 2 && !/^\d+$/.test(labels[1]) && !COMMON_TLDS.has(labels[1]))
}

// Top-level domains seen in GitLab and cache addresses; a two-label name ending in one of them is a public host.
const COMMON_TLDS = new Set(
  (
    'com net org io dev app cloud ai co me info biz xyz tech site online page host run sh gg eu ' +
    'us uk de fr nl be ch at it es pt pl cz sk ' +
    'se no dk fi ee lv lt ru ua by kz cn jp kr in id vn th sg hk tw au nz ca mx br ar cl za tr il ir gr hu ro bg rs hr si ' +
    'local lan home internal corp test example invalid localhost'
  ).split(' '),
)

/**
 * Why a URL that should reach GitLab or a cache over the network sends it in clear text: `http://` to a host that is
 * neither loopback nor a cluster Service. Placeholders and templates are not judged.
 */
export function isPlainHttpAcrossNetwork(value: unknown): value is string {
  if (typeof value !== 'string' || placeholderKind(value, {url: true}) !== undefined) return false
  const parts = urlParts(value)
  return parts?.scheme === 'http' && crossesNetwork(parts.host)
}

/** Whether traffic to a host leaves the machine and the cluster network. */
export function crossesNetwork(host: string): boolean {
  return !isLoopbackHost(host) && !isClusterServiceHost(host)
}

/** The host of a `host[:port]` address such as the S3 cache's ServerAddress (a scheme, if written, is dropped). */
export function addressHost(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || placeholderKind(value, {url: true}) !== undefined) return undefined
  const text = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  const m = /^(\[[^\]]*\]|[^:/\s]+)/.exec(text)
  return m?.[1].toLowerCase().replace(/^\[|\]$/g, '')
}

/**
 * A URL that is still a stand-in (`https://gitlab.example.com`, `https://<gitlab-host>`, `YOUR_GITLAB_URL`). Template
 * and `${…}` placeholders are left out: the unrendered-placeholder rules and template notes already name them.
 */
export function placeholderUrlKind(value: unknown): string | undefined {
  const kind = placeholderKind(value, {url: true})
  return kind === undefined || kind === 'template' || kind === 'substitution' || kind === 'directive' ? undefined : kind
}
