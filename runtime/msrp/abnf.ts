/**
 * Character rules of the RFC 4975 §9 grammar that more than one part of a frame uses
 * (transaction-id and Message-ID are both `ident`; URI parameters, media types and header
 * names all build on `token`), written once so the modules cannot drift apart.
 */

// RFC 4975 §9: ident = ALPHANUM 3*31ident-char
//              ident-char = ALPHANUM / "." / "-" / "+" / "%" / "="
const IDENT = /^[A-Za-z0-9][A-Za-z0-9.\-+%=]{3,31}$/;

// RFC 4975 §9: token = 1*(%x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E)
const TOKEN = /^[!#-'*+\-.0-9A-Z^-~]+$/;

// RFC 4975 §9: hname = ALPHA *token
const HNAME = /^[A-Za-z][!#-'*+\-.0-9A-Z^-~]*$/;

// RFC 4975 §9: utf8text = *(HTAB / %x20-7E / UTF8-NONASCII). Callers check UTF-8 validity on
// the bytes (node:buffer isUtf8); what is left to refuse once decoded is the control characters.
const NOT_UTF8TEXT = /[\x00-\x08\x0A-\x1F\x7F]/;

// RFC 4975 §9: other-method = 1*UPALPHA ; UPALPHA = %x41-5A
const METHOD = /^[A-Z]+$/;

/** The longest `ident`, hence the longest transaction-id (RFC 4975 §9). */
export const MAX_IDENT_LENGTH = 32;

/** `ident` of RFC 4975 §9: the syntax of transaction-ids and Message-IDs. */
export function isIdent(text: string): boolean {
  return IDENT.test(text);
}

/** `token` of RFC 4975 §9. */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** `hname` of RFC 4975 §9: the name of any header field. */
export function isHeaderName(text: string): boolean {
  return HNAME.test(text);
}

/** `utf8text` of RFC 4975 §9, for text already decoded from valid UTF-8. */
export function isUtf8Text(text: string): boolean {
  return !NOT_UTF8TEXT.test(text);
}

/** `method` of RFC 4975 §9: SEND, REPORT and any extension are upper-case letters only. */
export function isMethod(text: string): boolean {
  return METHOD.test(text);
}
