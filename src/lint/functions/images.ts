import {isTemplatePlaceholder} from '../../inputs/helm-template.js'
import type {FunctionResult, RuleFunction} from './types.js'

/** Splits `registry:5000/group/name:tag@digest` into its tag and digest. */
export function imageReference(image: string): {name: string; tag?: string; digest?: string} {
  const [withoutDigest, digest] = image.split('@', 2)
  const slash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  if (colon > slash) return {name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest}
  return {name: withoutDigest, digest}
}

/** Job images without a tag, or tagged `latest`, change under the team's feet. */
export const unpinnedImage: RuleFunction = ({given}) => {
  const out: FunctionResult[] = []
  for (const {pointer, value} of given) {
    if (typeof value !== 'string' || value.trim() === '' || isTemplatePlaceholder(value) || value.includes('$')) continue
    const ref = imageReference(value.trim())
    if (ref.digest) continue
    if (ref.tag === undefined) out.push({pointer, message: `Image "${value}" has no tag, so it means ${value}:latest and changes with every push upstream.`})
    else if (ref.tag === 'latest') out.push({pointer, message: `Image "${value}" is tagged latest and changes with every push upstream.`})
  }
  return out
}
