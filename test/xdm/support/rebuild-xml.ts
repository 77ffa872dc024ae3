/**
 * Re-serialises a document with other prefixes (and optionally other namespaces) through a DOM,
 * so the tests can produce "the same document up to prefixes" without editing XML as text.
 */
import { DOMImplementation, DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';

const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XML = 'http://www.w3.org/XML/1998/namespace';

export interface Rewrite {
  /** The prefix to give each element namespace; '' makes it the (single) default namespace. */
  prefixOf(namespace: string): string;
  /** Moves elements to another namespace; identity by default. */
  namespaceOf?(namespace: string): string;
}

export function rebuildXml(xml: string, rewrite: Rewrite): string {
  const source = new DOMParser().parseFromString(xml, 'application/xml').documentElement;
  if (source === null) throw new Error('fixture has no root');
  const namespaceOf = rewrite.namespaceOf ?? ((ns: string) => ns);
  const namespaces = new Set(elementsOf(source).map((el) => namespaceOf(el.namespaceURI ?? '')));
  const qualified = (el: Element): string => {
    const prefix = rewrite.prefixOf(namespaceOf(el.namespaceURI ?? ''));
    const local = el.localName ?? el.nodeName;
    return prefix === '' ? local : `${prefix}:${local}`;
  };
  const target = new DOMImplementation().createDocument(namespaceOf(source.namespaceURI ?? ''), qualified(source), null);
  const root = target.documentElement;
  if (root === null) throw new Error('no root created');
  for (const ns of namespaces) {
    const prefix = rewrite.prefixOf(ns);
    root.setAttributeNS(XMLNS, prefix === '' ? 'xmlns' : `xmlns:${prefix}`, ns);
  }
  const copyInto = (from: Element, to: Element): void => {
    for (const attr of [...from.attributes]) {
      if (attr.namespaceURI === XMLNS) continue;
      if (attr.namespaceURI === XML) to.setAttributeNS(XML, `xml:${attr.localName ?? ''}`, attr.value);
      else to.setAttribute(attr.name, attr.value);
    }
    for (let child: Node | null = from.firstChild; child !== null; child = child.nextSibling) {
      if (isElement(child)) {
        const copy = target.createElementNS(namespaceOf(child.namespaceURI ?? ''), qualified(child));
        copyInto(child, copy);
        to.appendChild(copy);
      } else if (child.nodeType === child.TEXT_NODE) {
        to.appendChild(target.createTextNode(child.nodeValue ?? ''));
      }
    }
  };
  copyInto(source, root);
  return new XMLSerializer().serializeToString(target as Document);
}

function isElement(node: Node): node is Element {
  return node.nodeType === node.ELEMENT_NODE;
}

function elementsOf(root: Element): Element[] {
  return [root, ...[...root.children].flatMap(elementsOf)];
}
