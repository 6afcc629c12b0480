import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {Agent as HttpsAgent} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from '@jest/globals'

import {KubeconfigError, readKubeconfig} from '../../src/kube/kubeconfig.js'

const scratch = () => mkdtempSync(join(tmpdir(), 'rd-kubeconfig-'))

function kubeconfig(dir: string, name: string, body: string): string {
  const path = join(dir, name)
  writeFileSync(path, `apiVersion: v1\nkind: Config\n${body}`)
  return path
}

const TWO_CONTEXTS = `clusters:
- name: prod
  cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}
- name: lab
  cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.pem}
users:
- name: ci
  user: {tokenFile: token.txt}
- name: admin
  user: {username: admin, password: s3cret}
contexts:
- name: prod
  context: {cluster: prod, user: ci, namespace: gitlab-runner}
- name: lab
  context: {cluster: lab, user: admin}
current-context: prod
`

describe('kubeconfig reading for lint --cluster', () => {
  it('follows current-context, reads a token file relative to the kubeconfig, and takes the context namespace', () => {
    const dir = scratch()
    writeFileSync(join(dir, 'token.txt'), 'tok-123\n')
    const connection = readKubeconfig({kubeconfig: kubeconfig(dir, 'config', TWO_CONTEXTS)}, {})!
    expect(connection.server.href).toBe('https://10.0.0.1:6443/')
    expect(connection.contextName).toBe('prod')
    expect(connection.namespace).toBe('gitlab-runner')
    expect(connection.headers).toEqual({Authorization: 'Bearer tok-123'})
    expect((connection.agent as HttpsAgent).options.rejectUnauthorized).toBe(false)
  })

  it('--context picks another context: basic auth, a CA file relative to the kubeconfig, namespace default', () => {
    const dir = scratch()
    writeFileSync(join(dir, 'ca.pem'), 'CA-PEM')
    const connection = readKubeconfig({kubeconfig: kubeconfig(dir, 'config', TWO_CONTEXTS), context: 'lab'}, {})!
    expect(connection.headers.Authorization).toBe(`Basic ${Buffer.from('admin:s3cret').toString('base64')}`)
    expect(connection.namespace).toBe('default')
    expect(String((connection.agent as HttpsAgent).options.ca)).toBe('CA-PEM')
    expect((connection.agent as HttpsAgent).options.rejectUnauthorized).toBe(true)
  })

  it('$KUBECONFIG lists several files: the first to define a name or current-context wins', () => {
    const dir = scratch()
    const first = kubeconfig(dir, 'a', 'current-context: b-ctx\nusers:\n- name: u\n  user: {token: from-a}\n')
    const second = kubeconfig(
      dir,
      'b',
      'current-context: ignored\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.2"}\nusers:\n- ' +
        'name: u\n  user: {token: from-b}\ncontexts:\n- name: b-ctx\n  context: {cluster: c, user: u}\n',
    )
    const connection = readKubeconfig({}, {KUBECONFIG: `${first}:${join(dir, 'missing')}:${second}`})!
    expect(connection.server.origin).toBe('https://127.0.0.2')
    expect(connection.headers.Authorization).toBe('Bearer from-a')
  })

  it('an exec credential plugin (EKS, GKE, AKS) is run and its token used', () => {
    const dir = scratch()
    const plugin = join(dir, 'credential-plugin.sh')
    writeFileSync(
      plugin,
      '#!/bin/sh\nprintf \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s-%s"}}\' ' +
        '"$1" "$PLUGIN_ENV"\n',
    )
    chmodSync(plugin, 0o755)
    const path = kubeconfig(
      dir,
      'config',
      `clusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user:\n    ` +
        `exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./credential-plugin.sh\n      ` +
        `args: [eks]\n      env: [{name: PLUGIN_ENV, value: token}]\ncontexts:\n- name: x\n  context: ` +
        `{cluster: c, user: u}\ncurrent-context: x\n`,
    )
    expect(readKubeconfig({kubeconfig: path}, {PATH: process.env.PATH})!.headers.Authorization).toBe('Bearer eks-token')
  })

  it('what only the client library does (auth-provider, a socks proxy-url) is left to it', () => {
    const dir = scratch()
    const path = kubeconfig(
      dir,
      'config',
      `clusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1", proxy-url: "socks5://127.0.0.1:1080"}\nusers:\n- ` +
        `name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
    )
    expect(readKubeconfig({kubeconfig: path}, {})).toBeUndefined()
  })

  it('says what is wrong: no kubeconfig at all, an unknown context, plain HTTP without insecure-skip-tls-verify', () => {
    const dir = scratch()
    expect(() => readKubeconfig({}, {HOME: dir})).toThrow(
      new KubeconfigError('no kubeconfig was found and this is not running inside a cluster: set KUBECONFIG or pass --kubeconfig'),
    )
    const path = kubeconfig(dir, 'config', TWO_CONTEXTS)
    expect(() => readKubeconfig({kubeconfig: path, context: 'staging'}, {})).toThrow('the kubeconfig has no context named "staging"')
    // Plain http is kubectl proxy's on loopback; anywhere else it needs consent in the kubeconfig (src/kube/plain-http.ts).
    const plain = kubeconfig(
      dir,
      'plain',
      `clusters:\n- name: c\n  cluster: {server: "http://10.0.0.5:8080"}\nusers:\n- name: u\n  user: ` +
        `{}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
    )
    expect(() => readKubeconfig({kubeconfig: plain}, {})).toThrow(
      'add the line "insecure-skip-tls-verify: true" under the cluster "c" entry of',
    )
  })
})
