/**
 * Valid SIP messages for the parser's fuzzing, each writable in its canonical form (canonical
 * names, one value per line, single spaces, CRLF) or in any equivalent form RFC 3261 §7.3 and §25
 * allow: compact and case-varied names, whitespace around the colon and inside values where the
 * grammar has LWS/SWS, line folding, several values of a list header on one line, headers of
 * different names reordered, bare LF line ends (RFC 4475 §3.1.1.1). IPv6 references, quoted
 * display names with quoted-pairs and UTF-8 text are among the values.
 */
import fc from 'fast-check';
import { headerKey, isListHeader } from '../../runtime/sip/header-names.ts';

/** Where whitespace may go: `sp` is one SP (or a fold), `lws` one or more, `sws` none or more (RFC 3261 §25.1). */
type Gap = { readonly gap: 'sp' | 'lws' | 'sws' };
type Segment = string | Gap;
const sp: Gap = { gap: 'sp' };
const lws: Gap = { gap: 'lws' };
const sws: Gap = { gap: 'sws' };

export interface HeaderSample {
  /** Canonical spelling. */
  readonly name: string;
  readonly values: readonly (readonly Segment[])[];
}

export interface SipSample {
  readonly startLine: string;
  readonly headers: readonly HeaderSample[];
  readonly body: Buffer;
}

/** How one rendering writes the sample; every field is a free choice that must not change the meaning. */
export interface Rendering {
  readonly lf: boolean;
  /** A permutation key per header, to reorder headers of different names. */
  readonly order: readonly number[];
  /** Per header: the spelling of its name. */
  readonly names: readonly ('canonical' | 'lower' | 'upper' | 'compact')[];
  /** Whitespace choices, consumed in order wherever a value or a header line offers one. */
  readonly spaces: readonly number[];
  /** Per header: after which values a new line starts (list headers only). */
  readonly breaks: readonly boolean[];
}

const COMPACT: Readonly<Record<string, string>> = {
  'accept-contact': 'a', 'call-id': 'i', contact: 'm', 'content-length': 'l', 'content-type': 'c', from: 'f',
  'session-expires': 'x', subject: 's', supported: 'k', to: 't', via: 'v',
};

const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.!%*_+`'~-]{0,9}$/);
const hostname = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?(\.[a-z]([a-z0-9-]{0,6}[a-z0-9])?){1,2}$/);
const ipv6Reference = fc.ipV6().map((a) => `[${a}]`);
const host = fc.oneof(hostname, fc.ipV4(), ipv6Reference);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const user = fc.stringMatching(/^[a-z][a-z0-9._~-]{0,9}$/);

const sipUriText = fc
  .record({ secure: fc.boolean(), user: fc.option(user, { nil: undefined }), host, port, transport: fc.option(fc.constantFrom('tcp', 'udp', 'tls'), { nil: undefined }) })
  .map(({ secure, user, host, port, transport }) =>
    `${secure ? 'sips' : 'sip'}:${user === undefined ? '' : `${user}@`}${host}${port === undefined ? '' : `:${port}`}${transport === undefined ? '' : `;transport=${transport}`}`,
  );
const telUriText = fc.stringMatching(/^\+[1-9][0-9]{4,11}$/).map((n) => `tel:${n}`);

/** generic-param with SEMI = SWS ";" SWS and EQUAL = SWS "=" SWS. */
const param = (name: string, value: string | null): Segment[] => [sws, ';', sws, name, ...(value === null ? [] : [sws, '=', sws, value])];

/** display-name: words of tokens, or a quoted-string with quoted-pairs and UTF-8 (qdtext allows LWS). */
const displayName: fc.Arbitrary<Segment[] | null> = fc.option(
  fc.oneof(
    fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/), { minLength: 1, maxLength: 3 }).map((words) => words.flatMap((w, i): Segment[] => (i === 0 ? [w] : [sp, w])).concat([lws])),
    fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), fc.constantFrom('\\"', '\\\\', 'Zoë', '日本', ',', ';', '<x>')), { minLength: 1, maxLength: 4 })
      .map((words) => ['"', ...words.flatMap((w, i): Segment[] => (i === 0 ? [w] : [sp, w])), '"', sws]),
  ),
  { nil: null },
);

const nameAddr = (uri: fc.Arbitrary<string>, params: fc.Arbitrary<Segment[]>): fc.Arbitrary<Segment[]> =>
  fc.tuple(displayName, uri, params).map(([name, u, p]) => [...(name ?? []), '<', u, '>', ...p]);

const tag = token.map((t) => param('tag', t));
const noParams = fc.constant<Segment[]>([]);

const via: fc.Arbitrary<Segment[]> = fc
  .record({
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'SCTP'),
    host: fc.oneof(hostname, fc.ipV4(), ipv6Reference),
    port,
    branch: token,
    received: fc.option(fc.oneof(fc.ipV4(), fc.ipV6()), { nil: undefined }),
    rport: fc.boolean(),
  })
  .map(({ transport, host, port, branch, received, rport }) => [
    'SIP', sws, '/', sws, '2.0', sws, '/', sws, transport, lws, host,
    ...(port === undefined ? [] : [sws, ':', sws, String(port)]),
    ...param('branch', `z9hG4bK${branch}`),
    ...(received === undefined ? [] : param('received', received)),
    ...(rport ? param('rport', null) : []),
  ]);

const method = fc.constantFrom('INVITE', 'OPTIONS', 'BYE', 'MESSAGE', 'UPDATE', 'NOTIFY');
const words = (n: number) => fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), fc.constantFrom('Grüße', '€', '"q"', '(c)')), { minLength: 1, maxLength: n });
const spaced = (ws: string[]): Segment[] => ws.flatMap((w, i): Segment[] => (i === 0 ? [w] : [sp, w]));

const header = (name: string, values: fc.Arbitrary<Segment[][]>): fc.Arbitrary<HeaderSample> => values.map((v) => ({ name, values: v }));
const one = (value: fc.Arbitrary<Segment[]>) => value.map((v) => [v]);
const some = (value: fc.Arbitrary<Segment[]>, max: number) => fc.array(value, { minLength: 1, maxLength: max });

/** A valid request or response with the mandatory headers and a few optional ones. */
export const sipSample: fc.Arbitrary<SipSample> = fc
  .record({
    request: fc.boolean(),
    method,
    requestUri: fc.oneof(sipUriText, telUriText),
    status: fc.integer({ min: 100, max: 699 }),
    reason: fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), fc.constant('Grüße')), { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
    cseq: fc.nat(2 ** 32 - 1),
    vias: header('Via', some(via, 3)),
    from: header('From', one(nameAddr(sipUriText, tag))),
    to: header('To', one(nameAddr(fc.oneof(sipUriText, telUriText), fc.option(tag, { nil: undefined }).map((t) => t ?? [])))),
    callId: fc.tuple(token, hostname).map(([w, h]) => `${w}@${h}`),
    maxForwards: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    optional: fc.tuple(
      ...[
        header('Contact', some(nameAddr(sipUriText, fc.constantFrom<Segment[]>([], param('expires', '3600'), param('q', '0.5'))), 2)),
        header('Supported', some(fc.constantFrom('timer', '100rel', 'path', 'gruu').map((t) => [t]), 3)),
        header('Subject', one(words(5).map(spaced))),
        header('P-Asserted-Identity', some(nameAddr(fc.oneof(sipUriText, telUriText), noParams), 2)),
        header('X-Cpm-Test', one(words(3).map(spaced))),
        header('Session-Expires', one(fc.tuple(fc.integer({ min: 90, max: 7200 }), fc.constantFrom('uac', 'uas')).map(([t, r]) => [String(t), ...param('refresher', r)]))),
      ].map((h) => fc.option(h, { nil: undefined })),
    ),
    body: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
  })
  .map((s) => {
    const optional = s.optional.filter((h) => h !== undefined);
    const cseqMethod = s.request ? s.method : 'INVITE';
    const headers: HeaderSample[] = [
      s.vias,
      s.from,
      s.to,
      { name: 'Call-ID', values: [[s.callId]] },
      { name: 'CSeq', values: [[String(s.cseq), lws, cseqMethod]] },
      ...(s.maxForwards === undefined ? [] : [{ name: 'Max-Forwards', values: [[String(s.maxForwards)]] }]),
      ...optional,
      ...(s.body.length > 0 ? [{ name: 'Content-Type', values: [['application/octet-stream']] }] : []),
      { name: 'Content-Length', values: [[String(s.body.length)]] },
    ];
    const startLine = s.request ? `${s.method} ${s.requestUri} SIP/2.0` : `SIP/2.0 ${s.status} ${s.reason}`;
    return { startLine, headers, body: s.body };
  });

export const renderingOf = (sample: SipSample): fc.Arbitrary<Rendering> =>
  fc.record({
    lf: fc.boolean(),
    order: fc.array(fc.nat(), { minLength: sample.headers.length, maxLength: sample.headers.length }),
    names: fc.array(fc.constantFrom('canonical' as const, 'lower' as const, 'upper' as const, 'compact' as const), { minLength: sample.headers.length, maxLength: sample.headers.length }),
    spaces: fc.array(fc.nat(9), { minLength: 64, maxLength: 64 }),
    breaks: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  });

/** The canonical form: registered names, one value per line, single spaces, no folding, CRLF. */
export function canonical(sample: SipSample): Buffer {
  const lines = [sample.startLine];
  for (const h of sample.headers) for (const value of h.values) lines.push(`${h.name}: ${value.map((s) => (typeof s === 'string' ? s : s.gap === 'sws' ? '' : ' ')).join('')}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), sample.body]);
}

/** The sample written with every freedom of `r` taken. */
export function render(sample: SipSample, r: Rendering): Buffer {
  const eol = r.lf ? '\n' : '\r\n';
  let cursor = 0;
  const choice = () => r.spaces[cursor++ % r.spaces.length]!;
  const fold = () => `${eol}${choice() % 2 === 0 ? ' ' : '\t'}`;
  // 0-5 keep the canonical whitespace, 6-7 fold, 8-9 add blanks where the grammar allows more.
  const gap = (g: Gap): string => {
    const c = choice();
    if (c >= 6 && c <= 7) return fold();
    if (c >= 8 && g.gap !== 'sp') return ' \t '.slice(0, c - 6);
    return g.gap === 'sws' ? '' : ' ';
  };
  const write = (value: readonly Segment[]) => value.map((s) => (typeof s === 'string' ? s : gap(s))).join('');
  const nameOf = (h: HeaderSample, i: number) => {
    const how = r.names[i] ?? 'canonical';
    const compact = COMPACT[headerKey(h.name)];
    return how === 'lower' ? h.name.toLowerCase() : how === 'upper' ? h.name.toUpperCase() : how === 'compact' && compact !== undefined ? compact : h.name;
  };
  // Headers of one name keep their relative order (RFC 3261 §7.3.1); different names may move.
  const firstIndex = new Map<string, number>();
  sample.headers.forEach((h, i) => firstIndex.set(headerKey(h.name), firstIndex.get(headerKey(h.name)) ?? i));
  const order = sample.headers
    .map((h, i) => ({ h, i, key: r.order[firstIndex.get(headerKey(h.name))!] ?? 0 }))
    .sort((a, b) => a.key - b.key || a.i - b.i);
  const lines = [sample.startLine];
  for (const { h, i } of order) {
    const list = isListHeader(headerKey(h.name));
    const groups: (readonly Segment[])[][] = [];
    h.values.forEach((value, v) => {
      if (v === 0 || !list || r.breaks[(i + v) % r.breaks.length]) groups.push([value]);
      else groups.at(-1)!.push(value);
    });
    for (const group of groups) {
      const value = group.map(write).join(`${gap(sws)},${gap(sws)}`);
      // HCOLON = *( SP / HTAB ) ":" SWS; trailing whitespace is not part of the value.
      lines.push(`${nameOf(h, i)}${choice() > 7 ? ' \t' : ''}:${choice() > 4 ? gap(lws) : ''}${value}${choice() > 7 ? ' ' : ''}`);
    }
  }
  return Buffer.concat([Buffer.from(`${lines.join(eol)}${eol}${eol}`, 'utf8'), sample.body]);
}
