import {lintInProcess, lintRules} from './support/harness.js'

/**
 * Columns are 1-based UTF-16 code units, as LSP, VS Code's go-to and the SARIF log's `columnKind: utf16CodeUnits` count them:
 * a tab is one column, 漢 is one, 🚀 (outside the BMP) is two, and a byte order mark is none.
 */
function expectedColumn(lineText: string, token: string): number {
  const index = lineText.indexOf(token)
  if (index < 0) throw new Error(`${token} is not on ${lineText}`)
  return index + 1
}

async function privilegedAt(name: string, text: string | Buffer) {
  const {result} = await lintInProcess([{name, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text)}])
  const file = result.files[0]
  expect(file.error).toBeUndefined()
  const finding = file.findings.find((f) => f.ruleId === 'toml-privileged')
  expect(finding).toBeDefined()
  return finding!
}

const BOM = '\uFEFF'
const INLINE = 'kubernetes = { namespace = "漢字🚀", privileged = true }'

describe('findings point at the right column on lines with tabs, CJK, emoji, CRLF and a BOM', () => {
  beforeAll(async () => {
    await lintRules()
  })

  test('config.toml: the key after CJK and an emoji on the same line', async () => {
    const line = `  ${INLINE}`
    const f = await privilegedAt('config.toml', `concurrent = 1\n[[runners]]\n  executor = "kubernetes"\n${line}\n`)
    expect([f.line, f.column]).toEqual([4, expectedColumn(line, 'privileged')])
    // Code points would give one less: the emoji is two UTF-16 units.
    expect(f.column).toBe([...line.slice(0, line.indexOf('privileged'))].length + 2)
  })

  test('values runners.config indented with a tab after the block indentation', async () => {
    const line = `    \t${INLINE}`
    const f = await privilegedAt(
      'values.yaml',
      `gitlabUrl: https://gitlab.example.com/\nrunners:\n  config: |\n    [[runners]]\n    \texecutor = "kubernetes"\n${line}\n`,
    )
    expect([f.line, f.column]).toEqual([6, expectedColumn(line, 'privileged')])
  })

  test('values runners.config with emoji in a comment line above and in a value before the key', async () => {
    const line = `      kubernetes = { image = "🚀🚀🚀:1", privileged = true }`
    const text =
      `gitlabUrl: https://gitlab.example.com/\n# 🚀 runners for 漢字 team\nrunners:\n  config: |\n    ` +
      `[[runners]]\n      name = "🚀"\n      executor = "kubernetes"\n${line}\n`
    const f = await privilegedAt('values.yaml', text)
    expect([f.line, f.column]).toEqual([8, expectedColumn(line, 'privileged')])
  })

  test('CRLF line endings with a BOM: same lines and columns as the LF file', async () => {
    const lines = [
      'gitlabUrl: https://gitlab.example.com/',
      'runners:',
      '  config: |',
      '    [[runners]]',
      '      executor = "kubernetes"',
      `      ${INLINE}`,
    ]
    const lf = await privilegedAt('lf.yaml', lines.join('\n') + '\n')
    const crlf = await privilegedAt('crlf.yaml', BOM + lines.join('\r\n') + '\r\n')
    expect([crlf.line, crlf.column, crlf.endLine, crlf.endColumn]).toEqual([lf.line, lf.column, lf.endLine, lf.endColumn])
    expect(crlf.column).toBe(expectedColumn(lines[5], 'privileged'))
  })

  test('config.toml with a BOM and CRLF is located (not placed at 1:1)', async () => {
    const line = `  ${INLINE}`
    const f = await privilegedAt('config.toml', `${BOM}concurrent = 1\r\n[[runners]]\r\n  executor = "kubernetes"\r\n${line}\r\n`)
    expect([f.line, f.column]).toEqual([4, expectedColumn(line, 'privileged')])
  })

  test('a BOM is not a column of line 1', async () => {
    const {result} = await lintInProcess([
      {
        name: 'values.yaml',
        bytes: Buffer.from(`${BOM}runnerToken: "glrt-SECRETSECRETSECRET123"\ngitlabUrl: https://gitlab.example.com/\n`),
      },
    ])
    const token = result.files[0].findings.find((f) => f.ruleId === 'values-plain-runner-token')!
    expect([token.line, token.column]).toEqual([1, 1])
  })

  test('a parse error after multi-byte characters is placed in UTF-16 columns too', async () => {
    const line = 'name: "🚀漢" extra'
    const {result} = await lintInProcess([{name: 'values.yaml', bytes: Buffer.from(`gitlabUrl: x\n${line}\n`)}])
    expect(result.files[0].error).toMatchObject({line: 2, column: expectedColumn(line, 'extra')})
  })
})
