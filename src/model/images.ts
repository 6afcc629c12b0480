import {isTemplatePlaceholder} from './placeholders.js'

/** Splits `registry:5000/group/name:tag@digest` into its name, tag and digest. */
export function imageReference(image: string): {name: string; tag?: string; digest?: string} {
  const [withoutDigest, digest] = image.split('@', 2)
  const slash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  if (colon > slash) return {name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest}
  return {name: withoutDigest, digest}
}

/**
 * How an image reference fails to pin a version: no tag at all (which means `latest`) or the `latest` tag. A digest
 * pins whatever the tag says; templates and variables are decided elsewhere, so they are not judged.
 */
export function unpinnedTag(value: unknown): 'untagged' | 'latest' | undefined {
  if (typeof value !== 'string' || value.trim() === '' || isTemplatePlaceholder(value) || value.includes('$')) return undefined
  const ref = imageReference(value.trim())
  if (ref.digest) return undefined
  if (ref.tag === undefined) return 'untagged'
  return ref.tag === 'latest' ? 'latest' : undefined
}
