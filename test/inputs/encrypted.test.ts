import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {encryptionOf} from '../../src/inputs/encrypted.js'
import {lint} from '../../src/lint/run.js'
import {lintOptions as options, root} from './lint-helpers.js'

const encrypted = (name: string) => join(root, 'test/fixtures/inputs/encrypted', name)

describe('encrypted files are skipped and named, like SOPS files, never "binary file" (exit 0)', () => {
  test.each([
    ['git-crypt.yaml', 'git-crypt'],
    ['age.yaml', 'age'],
    ['age-armored.yaml', 'age'],
    ['ansible-vault.yaml', 'Ansible Vault'],
    ['gpg-armored.yaml', 'OpenPGP (gpg)'],
    ['gpg-binary.toml', 'OpenPGP (gpg)'],
    ['openssl-salted.toml', 'OpenSSL (openssl enc / transcrypt)'],
  ])('%s: %s', async (name, tool) => {
    const result = await lint(options([encrypted(name)]))
    expect(result.files[0]).toMatchObject({kind: 'skipped', skipped: `encrypted with ${tool}; lint the decrypted file`})
    expect(result.files[0].error).toBeUndefined()
    expect(result.summary.exitCode).toBe(0)
  })

  test('a directory with a git-crypt file next to real values is linted, the encrypted file skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rd-encrypted-'))
    writeFileSync(join(dir, 'secrets.yaml'), Buffer.concat([Buffer.from('\0GITCRYPT\0'), Buffer.from([0x9c, 0x00, 0x41, 0xff, 0x10])]))
    writeFileSync(join(dir, 'values.yaml'), 'gitlabUrl: https://gitlab.com/\nrunners:\n  privileged: true\n  config: |\n    [[runners]]\n')
    const result = await lint({...options([dir]), failOn: 'none'})
    const byName = Object.fromEntries(result.files.map((f) => [f.path.slice(dir.length + 1), f]))
    expect(byName['secrets.yaml']).toMatchObject({kind: 'skipped', skipped: 'encrypted with git-crypt; lint the decrypted file'})
    expect(byName['values.yaml'].kind).toBe('helm-values')
    expect(result.summary.exitCode).toBe(0)
  })

  test('a binary file with no encryption header is still "binary file", exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rd-binary-'))
    writeFileSync(join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]))
    const result = await lint(options([join(dir, 'image.yaml')]))
    expect(result.files[0].error?.message).toBe('Binary file: not YAML or TOML.')
    expect(result.summary.exitCode).toBe(2)
  })
})

describe('encryptionOf', () => {
  test('reads the header only at the start of the file', () => {
    expect(encryptionOf('\u0000GITCRYPT\u0000\u0012')).toBe('git-crypt')
    expect(encryptionOf('\uFEFF$ANSIBLE_VAULT;1.2;AES256;prod\n6162')).toBe('Ansible Vault')
    expect(encryptionOf('# $ANSIBLE_VAULT;1.1;AES256\nrunners: {}')).toBeUndefined()
    expect(encryptionOf('gitlabUrl: https://gitlab.com/\n# -----BEGIN AGE ENCRYPTED FILE-----')).toBeUndefined()
    expect(encryptionOf('age-encryption.org/v2\n')).toBeUndefined()
  })

  test('a binary that only looks like an OpenPGP packet tag needs the packet version too', () => {
    // Tag 1 (public-key session key), two-byte length, version 3: gpg's output.
    expect(encryptionOf(String.fromCharCode(0x85, 0x01, 0x0c, 0x03))).toBe('OpenPGP (gpg)')
    // Same tag byte, version 9: not an OpenPGP message.
    expect(encryptionOf(String.fromCharCode(0x85, 0x01, 0x0c, 0x09))).toBeUndefined()
    // New format, tag 3 (symmetric session key), one-byte length, version 4.
    expect(encryptionOf(String.fromCharCode(0xc3, 0x0d, 0x04))).toBe('OpenPGP (gpg)')
    // PNG: 0x89 is an old-format tag 2 (signature), not an encrypted message.
    expect(encryptionOf(String.fromCharCode(0x89, 0x50, 0x4e, 0x47))).toBeUndefined()
  })
})
