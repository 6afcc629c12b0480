/** A Role-like rule: resources may carry a subresource (`pods/exec`); `*` matches anything. */
export interface RbacRule {
  verbs: string[]
  resources: string[]
  /** Namespaces the rule applies in; omitted means every namespace and cluster-scoped resources. */
  namespaces?: string[]
}

export interface AccessAttributes {
  verb: string
  resource: string
  subresource?: string
  namespace?: string
  name?: string
}

export function isAllowed(rules: RbacRule[] | 'allow-all', attributes: AccessAttributes): boolean {
  if (rules === 'allow-all') return true
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource
  return rules.some(
    (rule) =>
      (rule.verbs.includes('*') || rule.verbs.includes(attributes.verb)) &&
      (rule.resources.includes('*') || rule.resources.includes(resource)) &&
      (!rule.namespaces || (attributes.namespace !== undefined && rule.namespaces.includes(attributes.namespace))),
  )
}

/** The sentence kube-apiserver's RBAC authorizer uses when it says no. */
export function forbiddenMessage(user: string, attributes: AccessAttributes): string {
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource
  const subject = attributes.name ? `${attributes.resource} "${attributes.name}"` : attributes.resource
  const scope = attributes.namespace ? `in the namespace "${attributes.namespace}"` : 'at the cluster scope'
  return `${subject} is forbidden: User "${user}" cannot ${attributes.verb} resource "${resource}" in API group "" ${scope}`
}

/** Turns a Role manifest's rules (as in examples/probe-rbac.yaml) into the fake's rule table. */
export function rulesFromRole(
  role: {rules?: {apiGroups?: string[]; resources?: string[]; verbs?: string[]}[]},
  namespace: string,
): RbacRule[] {
  return (role.rules ?? []).map((rule) => ({verbs: rule.verbs ?? [], resources: rule.resources ?? [], namespaces: [namespace]}))
}
