import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseGroupDocument } from '../../runtime/xdm/group-document.ts';
import { decodeUtf8 } from '../../runtime/xdm/strict-xml.ts';
import { XdmDocumentError, type XcapDocumentFault } from '../../runtime/xdm/xdm-errors.ts';

const LS = 'xmlns="urn:oma:xml:poc:list-service"';
const CP = 'xmlns:cp="urn:ietf:params:xml:ns:common-policy"';

function inGroup(inner: string): string {
  return `<group ${LS} ${CP}><list-service uri="sip:g@x">${inner}</list-service></group>`;
}

function inRule(inner: string): string {
  return inGroup(`<cp:ruleset><cp:rule id="r">${inner}</cp:rule></cp:ruleset>`);
}

function inIdentity(inner: string): string {
  return inRule(`<cp:conditions><cp:identity>${inner}</cp:identity></cp:conditions>`);
}

const SERVICES = 'xmlns:s="urn:oma:xml:xdm:extensions"';

const CASES: [string, string, XcapDocumentFault, RegExp][] = [
  ['an empty body', '', 'not-well-formed', /root element/],
  ['plain text', 'not xml at all', 'not-well-formed', /root element/],
  ['an unclosed tag', `<group ${LS}><list-service uri="sip:g@x">`, 'not-well-formed', /not well-formed/],
  ['mismatched tags', `<group ${LS}></list-service>`, 'not-well-formed', /mismatch/],
  ['an unquoted attribute (an xmldom "warning")', `<group ${LS}><list-service uri=sip:g@x/></group>`, 'not-well-formed', /quot/],
  ['an unbound prefix', `<cp:group/>`, 'not-well-formed', /not well-formed/],
  ['an undeclared entity', `<group ${LS}>&nbsp;</group>`, 'not-well-formed', /entity/],
  ['two root elements', `<group ${LS}/><group ${LS}/>`, 'not-well-formed', /not well-formed/],
  ['a root of another name', `<resource-lists ${LS}/>`, 'schema-validation-error', /root element is <resource-lists>/],
  ['<group> without a namespace', '<group><list-service uri="sip:g@x"/></group>', 'schema-validation-error', /namespace ''/],
  ['<group> without <list-service>', `<group ${LS}/>`, 'schema-validation-error', /no <list-service>/],
  [
    'two <list-service>s',
    `<group ${LS}><list-service uri="sip:a@x"/><list-service uri="sip:b@x"/></group>`,
    'schema-validation-error',
    /2 <list-service>/,
  ],
  ['<list-service> without uri', `<group ${LS}><list-service/></group>`, 'schema-validation-error', /no uri/],
  ['<list-service> with a blank uri', `<group ${LS}><list-service uri="  "/></group>`, 'schema-validation-error', /no uri/],
  ['an <entry> without uri', inGroup('<list><entry/></list>'), 'schema-validation-error', /<entry> has no uri/],
  ['an <external> list', inGroup('<list><external anchor="http://xdms/other"/></list>'), 'constraint-failure', /<external>/],
  ['an <entry-ref>', inGroup('<list><list><entry-ref ref="users/x/index/~~/e"/></list></list>'), 'constraint-failure', /<entry-ref>/],
  ['<list>s nested 17 deep', inGroup(`${'<list>'.repeat(17)}${'</list>'.repeat(17)}`), 'constraint-failure', /nested deeper than 16/],
  ['<list>s nested 100 000 deep', inGroup(`${'<list>'.repeat(1e5)}${'</list>'.repeat(1e5)}`), 'constraint-failure', /nested deeper/],
  ['a zero max-participant-count', inGroup('<max-participant-count>0</max-participant-count>'), 'schema-validation-error', /positive/],
  ['a max-participant-count of words', inGroup('<max-participant-count>lots</max-participant-count>'), 'schema-validation-error', /'lots'/],
  ['a <rule> without id', inGroup('<cp:ruleset><cp:rule/></cp:ruleset>'), 'schema-validation-error', /no id/],
  ['a <one> without id', inIdentity('<cp:one/>'), 'schema-validation-error', /<one> has no id/],
  ['an <except> without id or domain', inIdentity('<cp:many><cp:except/></cp:many>'), 'schema-validation-error', /<except>/],
  ['two <identity> conditions', inRule('<cp:conditions><cp:identity/><cp:identity/></cp:conditions>'), 'constraint-failure', /two <identity>/],
  ['two <conditions> in one rule', inRule('<cp:conditions/><cp:conditions/>'), 'schema-validation-error', /2 <conditions>/],
  ['a non-boolean action', inRule('<cp:actions><allow-anonymity>yes</allow-anonymity></cp:actions>'), 'schema-validation-error', /'yes'/],
  [
    'a <service> without enabler',
    inGroup(`<s:supported-services ${SERVICES}><s:service/></s:supported-services>`),
    'schema-validation-error',
    /enabler/,
  ],
];

describe('parseGroupDocument on documents it must refuse', () => {
  let consoleCalls: unknown[][];
  beforeEach(() => {
    consoleCalls = [];
    for (const method of ['error', 'warn', 'log', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push(args));
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it.each(CASES)('refuses %s with CPM_ERR_XDM_BAD_DOCUMENT', (_name, xml, fault, message) => {
    const error = catchError(() => parseGroupDocument(xml));
    expect(error).toBeInstanceOf(XdmDocumentError);
    expect(error).toMatchObject({ code: 'CPM_ERR_XDM_BAD_DOCUMENT', fault });
    expect((error as Error).message).toMatch(message);
    // xmldom's default handlers print to the console; every report must become the error instead.
    expect(consoleCalls).toStrictEqual([]);
  });
});

describe('decodeUtf8', () => {
  it('refuses bytes that are not UTF-8 as <not-utf-8/> (RFC 4825 §11.2)', () => {
    const error = catchError(() => decodeUtf8(Uint8Array.from([0x3c, 0x67, 0xff, 0x3e])));
    expect(error).toMatchObject({ code: 'CPM_ERR_XDM_BAD_DOCUMENT', fault: 'not-utf-8' });
  });

  it('drops a UTF-8 byte order mark', () => {
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]))).toBe('<a/>');
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
