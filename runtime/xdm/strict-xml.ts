/**
 * XML parsing that refuses instead of guessing (xmldom on its own prints problems to the console
 * and builds a best-effort tree, which for a protocol document hides a broken peer), plus the few
 * namespace-aware DOM reads the group document parser is built from.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { XdmDocumentError } from './xdm-errors.ts';

/**
 * The root element of `text`, parsed namespace-aware.
 *
 * @throws {XdmDocumentError} `not-well-formed` on anything xmldom reports, whatever its level:
 * xmldom's "warnings" include unquoted attribute values, which XML 1.0 §3.1 makes fatal.
 */
export function parseXmlRoot(text: string): Element {
  let problem: string | undefined;
  const parser = new DOMParser({
    onError: (level, message) => {
      problem ??= `${level}: ${message}`;
      throw new XdmDocumentError('not-well-formed', problem);
    },
  });
  try {
    const root = parser.parseFromString(text, 'application/xml').documentElement;
    if (root === null) throw new XdmDocumentError('not-well-formed', 'the document has no root element');
    return root;
  } catch (err) {
    if (err instanceof XdmDocumentError) throw err;
    // xmldom rethrows what onError threw wrapped in its own ParseError; keep the first report.
    throw new XdmDocumentError('not-well-formed', `not well-formed XML: ${problem ?? String(err)}`);
  }
}

/** The element children of `parent` whose local name is `localName` in one of `namespaces`. */
export function childElements(parent: Element, namespaces: readonly string[], localName: string): Element[] {
  return [...parent.children].filter((child) => isElement(child, namespaces, localName));
}

export function isElement(el: Element, namespaces: readonly string[], localName: string): boolean {
  return el.localName === localName && namespaces.some((ns) => ns === el.namespaceURI);
}

/** Text content with XML Schema `collapse` whitespace (xs:boolean, xs:integer, tokens). */
export function collapsedText(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a document's bytes. RFC 4825 §11.2 `<not-utf-8/>`: XCAP documents are UTF-8, and
 * a decoder that substituted U+FFFD would turn a corrupted member URI into a different one.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new XdmDocumentError('not-utf-8', 'the document is not UTF-8');
  }
}
