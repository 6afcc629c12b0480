import {DEFAULT_FORMAT, FORMAT_NAMES, formatters, isFormatName} from '../../src/formatters/index.js'
import {contextOf, sampleResult} from './sample-result.js'

describe('formatter registry', () => {
  test('offers exactly the five documented formats, stylish by default', () => {
    expect([...FORMAT_NAMES]).toEqual(['stylish', 'json', 'codeclimate', 'junit', 'sarif'])
    expect(Object.keys(formatters).sort()).toEqual([...FORMAT_NAMES].sort())
    expect(DEFAULT_FORMAT).toBe('stylish')
    expect(isFormatName('sarif')).toBe(true)
    expect(isFormatName('checkstyle')).toBe(false)
  })

  test.each([...FORMAT_NAMES])('%s is pure: same input, same text, input left untouched', (name) => {
    const before = structuredClone(sampleResult)
    const ctx = {...contextOf(), now: new Date('2026-01-02T03:04:05Z')}
    const first = formatters[name](sampleResult, ctx)
    expect(formatters[name](sampleResult, ctx)).toBe(first)
    expect(first.endsWith('\n')).toBe(true)
    expect(sampleResult).toEqual(before)
  })
})
