/**
 * RFC 4825 §11: the `application/xcap-error+xml` body of a 409 that tells the client why its PUT
 * was refused. Built as a DOM so that the phrase (which quotes client input) is always escaped.
 */
import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import type { XcapDocumentFault } from './xdm-errors.ts';
import { NS_XCAP_ERROR } from './xdm-names.ts';

/**
 * @example
 * xcapErrorBody('constraint-failure', 'list-service uri differs from the document URI')
 * // '<?xml version="1.0" encoding="UTF-8"?>\n<xcap-error xmlns="urn:ietf:params:xml:ns:xcap-error">
 * //  <constraint-failure phrase="list-service uri differs from the document URI"/></xcap-error>'
 */
export function xcapErrorBody(fault: XcapDocumentFault, phrase: string): string {
  const document = new DOMImplementation().createDocument(NS_XCAP_ERROR, 'xcap-error', null);
  const detail = document.createElementNS(NS_XCAP_ERROR, fault);
  // RFC 4825 §11.2: every error element may carry a human-readable "phrase".
  detail.setAttribute('phrase', phrase);
  document.documentElement?.appendChild(detail);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(document)}`;
}
