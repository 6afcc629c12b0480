/**
 * Characters XML 1.0 forbids anywhere in a document, even escaped: C0 controls other than tab, newline
 * and carriage return, lone surrogates, U+FFFE and U+FFFF. They are dropped, not escaped.
 */
const ILLEGAL_XML_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

export function stripIllegalXmlCharacters(text: string): string {
  return text.replace(ILLEGAL_XML_CHARACTERS, '')
}

export function escapeXmlText(text: string): string {
  return stripIllegalXmlCharacters(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\r', '&#13;')
}

/** Attribute values also escape quotes and whitespace characters that parsers would normalise to spaces. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\n', '&#10;').replaceAll('\t', '&#9;')
}

export type XmlAttributes = Record<string, string | number | undefined>

export function xmlAttributes(attributes: XmlAttributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('')
}
