/**
 * Files a repository keeps encrypted at rest, told by the header each tool writes. They are skipped and named,
 * never reported as binary or unreadable: a pipeline that lints a repository with git-crypt files must not fail on them.
 * SOPS is not here: it encrypts values inside YAML or JSON, so it is told by its `sops` key (recognize.ts).
 */
interface EncryptionHeader {
  tool: string
  matches(head: string): boolean
}

const startsWith = (prefix: string) => (head: string) => head.startsWith(prefix)

// OpenPGP packets that open an encrypted message (RFC 4880 §4.2): a public-key (tag 1) or symmetric-key (tag 3)
// encrypted session key, in the old format (0x84-0x87, 0x8c-0x8f) or the new one (0xc1, 0xc3), then the packet's
// version (3 for tag 1; 4 or 5 for tag 3) after its length. Checking the version keeps other binaries out.
function isOpenPgpBinary(head: string): boolean {
  const tag = head.charCodeAt(0)
  const oldFormat = (tag & 0xc0) === 0x80
  const newFormat = (tag & 0xc0) === 0xc0
  if (!oldFormat && !newFormat) return false
  const packetType = oldFormat ? (tag >> 2) & 0x0f : tag & 0x3f
  if (packetType !== 1 && packetType !== 3) return false
  const lengthBytes = oldFormat ? [1, 2, 4][tag & 0x03] : head.charCodeAt(1) < 192 ? 1 : head.charCodeAt(1) < 224 ? 2 : 5
  if (lengthBytes === undefined) return false
  const version = head.charCodeAt(1 + lengthBytes)
  return packetType === 1 ? version === 3 : version === 4 || version === 5
}

const HEADERS: readonly EncryptionHeader[] = [
  // git-crypt: "\0GITCRYPT\0" then a 12-byte nonce (git-crypt's commands.cpp).
  {tool: 'git-crypt', matches: startsWith('\u0000GITCRYPT\u0000')},
  // age: the binary format's first line, or the ASCII armour (age-encryption.org/v1 specification).
  {tool: 'age', matches: startsWith('age-encryption.org/v1\n')},
  {tool: 'age', matches: startsWith('-----BEGIN AGE ENCRYPTED FILE-----')},
  // ansible-vault: "$ANSIBLE_VAULT;1.1;AES256" (or 1.2 with a vault id) on the first line.
  {tool: 'Ansible Vault', matches: startsWith('$ANSIBLE_VAULT;')},
  // GnuPG and tools built on it (blackbox, git-secret, transcrypt's gpg mode): armoured or binary messages.
  {tool: 'OpenPGP (gpg)', matches: startsWith('-----BEGIN PGP MESSAGE-----')},
  {tool: 'OpenPGP (gpg)', matches: isOpenPgpBinary},
  // `openssl enc` with a salt (transcrypt stores its files this way, base64-encoded).
  {tool: 'OpenSSL (openssl enc / transcrypt)', matches: (head) => head.startsWith('Salted__') || head.startsWith('U2FsdGVkX1')},
]

/**
 * The tool a file was encrypted with, from its first bytes, or undefined. `head` is the start of the file read as
 * latin1 (one character per byte), so binary headers compare byte for byte.
 */
export function encryptionOf(head: string): string | undefined {
  const start = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head
  return HEADERS.find((h) => h.matches(start))?.tool
}

/** Why an encrypted file is skipped, in the words used for SOPS files. */
export const encryptedSkipReason = (tool: string): string => `encrypted with ${tool}; lint the decrypted file`
