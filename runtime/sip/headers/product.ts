/**
 * User-Agent and Server (RFC 3261 §20.41, §20.35): server-val *(LWS server-val),
 * server-val = product / comment; product = token [SLASH product-version].
 */
import { attempt, type Parsed } from '../errors.ts';
import { Scanner } from '../scanner.ts';

export type ProductToken =
  | { readonly kind: 'product'; readonly name: string; readonly version: string | null }
  | { readonly kind: 'comment'; readonly text: string };

export function parseProduct(value: string): Parsed<ProductToken[]> {
  return attempt(() => {
    const scanner = new Scanner(value, 'CPM_ERR_SIP_BAD_HEADER_VALUE');
    const list: ProductToken[] = [];
    scanner.skipSpace();
    do {
      if (scanner.peek() === 0x28) {
        // The comment is kept as written, parentheses included.
        list.push({ kind: 'comment', text: scanner.comment() });
      } else {
        const name = scanner.token('product');
        const version = scanner.eatSeparator(0x2f) ? scanner.token('product-version') : null;
        list.push({ kind: 'product', name, version });
      }
      scanner.skipSpace();
    } while (!scanner.done);
    return list;
  });
}

export function formatProduct(values: readonly ProductToken[]): string {
  return values
    .map((v) => (v.kind === 'comment' ? v.text : v.version === null ? v.name : `${v.name}/${v.version}`))
    .join(' ');
}
