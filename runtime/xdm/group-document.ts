/**
 * Reads a Shared Group XDM document (READING.md "The group document": an OMA PoC `<group>` with
 * one `<list-service>`, IETF common-policy rules and OMA XDM `<supported-services>`) into the
 * `GroupDocument` the machines consume. Elements are matched by namespace and local name only, so
 * any choice of prefixes (or of which namespace is the default) reads the same.
 *
 * Elements this CF does not know are skipped (XML extensibility), except where skipping would
 * change who is a member or what a rule grants; those are refused or neutralised as noted below.
 */
import type { Element } from '@xmldom/xmldom';
import {
  canonicalAddress,
  type GroupDocument,
  type GroupMember,
  type IdentityCondition,
  type PolicyRule,
  type RuleActions,
  type RuleConditions,
} from '../../machines/group.ts';
import { childElements, collapsedText, isElement, parseXmlRoot } from './strict-xml.ts';
import { XdmDocumentError } from './xdm-errors.ts';
import {
  NS_COMMON_POLICY,
  NS_LIST_SERVICE,
  NS_OMA_COMMON_POLICY,
  NS_RESOURCE_LISTS,
  NS_SUPPORTED_SERVICES,
} from './xdm-names.ts';

const LIST_SERVICE = [NS_LIST_SERVICE] as const;
const LIST_CONTENT = [NS_LIST_SERVICE, NS_RESOURCE_LISTS] as const;
const COMMON_POLICY = [NS_COMMON_POLICY] as const;
const OMA_POLICY = [NS_OMA_COMMON_POLICY] as const;

/** Far beyond any real grouping of members; bounds the recursion a hostile document can cause. */
const MAX_LIST_DEPTH = 16;

/**
 * Parses a Shared Group XDM document.
 *
 * @throws {XdmDocumentError} (`CPM_ERR_XDM_BAD_DOCUMENT`) when the text is not well-formed XML,
 * is not a `<group>` with exactly one `<list-service uri>`, holds a value of the wrong type, or
 * needs a reference (`<external>`, `<entry-ref>`) resolved.
 *
 * @example
 * const group = parseGroupDocument(await readFile('friends.xml', 'utf8'));
 * group.members.map((m) => m.uri); // ['sip:alice@127.0.0.1:5071', ...]
 */
export function parseGroupDocument(xml: string): GroupDocument {
  const root = parseXmlRoot(xml);
  if (!isElement(root, LIST_SERVICE, 'group')) {
    throw invalid(
      `the root element is <${root.localName}> in namespace '${root.namespaceURI ?? ''}'; ` +
        `a Shared Group document is a <group> in '${NS_LIST_SERVICE}'`,
    );
  }
  const listService = onlyChild(root, LIST_SERVICE, 'list-service');
  if (listService === undefined) throw invalid('<group> has no <list-service>: add one carrying the group URI');
  const uri = attribute(listService, 'uri');
  if (uri === undefined) throw invalid('<list-service> has no uri: set it to the group URI (e.g. sip:friends@example.net)');

  const displayName = textOf(childElements(listService, LIST_SERVICE, 'display-name')[0]);
  const maxParticipantCount = readMaxParticipantCount(listService);
  return {
    uri,
    ...(displayName === undefined ? {} : { displayName }),
    members: readMembers(listService),
    ...(maxParticipantCount === undefined ? {} : { maxParticipantCount }),
    supportedServices: readSupportedServices(listService),
    rules: childElements(listService, COMMON_POLICY, 'ruleset').flatMap((ruleset) =>
      childElements(ruleset, COMMON_POLICY, 'rule').map(readRule),
    ),
  };
}

/**
 * Members of every `<list>`, nested ones flattened in document order.
 *
 * Duplicates (by `canonicalAddress`) keep their first occurrence: RFC 4826 §3 forbids them
 * within one list, but nested lists may repeat a member, who must still be invited once.
 *
 * Deviation: `<external>` and `<entry-ref>` (RFC 4826 §3) point at other documents
 * the CF does not fetch. Skipping them would silently shrink the group and change who passes
 * `<is-list-member/>`, so the whole document is refused instead.
 */
function readMembers(listService: Element): GroupMember[] {
  const members: GroupMember[] = [];
  const seen = new Set<string>();
  const visit = (list: Element, depth: number): void => {
    if (depth > MAX_LIST_DEPTH) {
      throw new XdmDocumentError('constraint-failure', `<list>s are nested deeper than ${MAX_LIST_DEPTH}: flatten them`);
    }
    for (const child of list.children) {
      if (isElement(child, LIST_CONTENT, 'list')) visit(child, depth + 1);
      else if (isElement(child, LIST_CONTENT, 'external') || isElement(child, LIST_CONTENT, 'entry-ref')) {
        throw new XdmDocumentError(
          'constraint-failure',
          `<${child.localName}> in the member list refers to another document, which this CF does not ` +
            'resolve: list the members as <entry uri> instead',
        );
      } else if (isElement(child, LIST_CONTENT, 'entry')) {
        const member = readEntry(child);
        const key = canonicalAddress(member.uri);
        if (!seen.has(key)) {
          seen.add(key);
          members.push(member);
        }
      }
    }
  };
  for (const list of childElements(listService, LIST_CONTENT, 'list')) visit(list, 1);
  return members;
}

function readEntry(entry: Element): GroupMember {
  const uri = attribute(entry, 'uri');
  if (uri === undefined) throw invalid('an <entry> has no uri: every member needs its address in uri');
  const displayName = textOf(childElements(entry, LIST_CONTENT, 'display-name')[0]);
  return displayName === undefined ? { uri } : { uri, displayName };
}

function readMaxParticipantCount(listService: Element): number | undefined {
  const el = onlyChild(listService, LIST_SERVICE, 'max-participant-count');
  if (el === undefined) return undefined;
  const text = collapsedText(el);
  const count = Number(text);
  // OMA PoC list-service schema: <max-participant-count> is an xs:positiveInteger.
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(count) || count < 1) {
    throw invalid(`<max-participant-count> is '${text}': it must be a positive integer`);
  }
  return count;
}

/** READING.md: `<supported-services>` and its `<service>`s may be in either namespace. */
function readSupportedServices(listService: Element): string[] {
  return childElements(listService, NS_SUPPORTED_SERVICES, 'supported-services').flatMap((services) =>
    childElements(services, NS_SUPPORTED_SERVICES, 'service').map((service) => {
      const enabler = attribute(service, 'enabler');
      if (enabler === undefined) throw invalid('a <service> in <supported-services> has no enabler: set it to the ICSI');
      return enabler;
    }),
  );
}

/** Collects conditions the CF cannot evaluate while reading one rule. */
interface RuleReading {
  understood: boolean;
}

function readRule(rule: Element): PolicyRule {
  // RFC 4745 §6: every <rule> has an id.
  const id = attribute(rule, 'id');
  if (id === undefined) throw invalid('a <rule> has no id: RFC 4745 requires one');
  const reading: RuleReading = { understood: true };
  const conditions = readConditions(onlyChild(rule, COMMON_POLICY, 'conditions'), reading);
  const actions = readActions(onlyChild(rule, COMMON_POLICY, 'actions'));
  // RFC 4745 §7: a condition in a namespace not known or not supported "evaluates to FALSE", so
  // the rule can never match. Deviation: <sphere> and <validity>, though common-policy, are not
  // evaluated here either and count the same, refusing rather than over-granting.
  // Note: the identity is kept rather than the rule dropped, because <other-identity/> asks
  // whether *any other rule* names the requester, whether or not that rule matches.
  return { id, conditions, actions: reading.understood ? actions : {} };
}

function readConditions(el: Element | undefined, reading: RuleReading): RuleConditions {
  // RFC 4745 §7: no <conditions> (or an empty one) is a rule that always matches.
  const conditions: RuleConditions = {};
  for (const child of el?.children ?? []) {
    if (isElement(child, COMMON_POLICY, 'identity')) {
      // RFC 4745 §7: conditions are ANDed; two <identity>s would be an intersection, which
      // IdentityCondition (a union of <one>/<many>) cannot express.
      if (conditions.identity !== undefined) {
        throw new XdmDocumentError(
          'constraint-failure',
          'a rule has two <identity> conditions: merge them into one <identity>',
        );
      }
      conditions.identity = readIdentity(child, reading);
    } else if (isElement(child, OMA_POLICY, 'is-list-member')) conditions.isListMember = true;
    else if (isElement(child, OMA_POLICY, 'other-identity')) conditions.otherIdentity = true;
    else if (isElement(child, OMA_POLICY, 'anonymous-request')) conditions.anonymousRequest = true;
    else reading.understood = false;
  }
  return conditions;
}

/** RFC 4745 §7.1: `<one id>`s and `<many domain>`s with `<except id|domain>`s. */
function readIdentity(el: Element, reading: RuleReading): IdentityCondition {
  const identity: IdentityCondition = { one: [], many: [] };
  for (const child of el.children) {
    if (isElement(child, COMMON_POLICY, 'one')) {
      const id = attribute(child, 'id');
      if (id === undefined) throw invalid('an <identity><one> has no id: set it to the allowed address');
      identity.one.push(id);
    } else if (isElement(child, COMMON_POLICY, 'many')) {
      const domain = attribute(child, 'domain');
      identity.many.push({
        ...(domain === undefined ? {} : { domain }),
        except: childElements(child, COMMON_POLICY, 'except').map(readExcept),
      });
    } else {
      // RFC 4745 §7.1 lets other namespaces extend <identity>; an identity this CF cannot
      // evaluate is a condition it cannot evaluate.
      reading.understood = false;
    }
  }
  return identity;
}

function readExcept(el: Element): { id?: string; domain?: string } {
  const id = attribute(el, 'id');
  const domain = attribute(el, 'domain');
  if (id === undefined && domain === undefined) throw invalid('an <except> has neither id nor domain');
  return { ...(id === undefined ? {} : { id }), ...(domain === undefined ? {} : { domain }) };
}

/**
 * The OMA actions, matched by local name whatever their namespace: the sample puts them in the
 * list-service namespace, deployments in others. Actions this CF does not know grant nothing it
 * acts on, so they are skipped.
 */
function readActions(el: Element | undefined): RuleActions {
  const actions: RuleActions = {};
  for (const child of el?.children ?? []) {
    if (child.localName === 'allow-initiate-conference') actions.allowInitiateConference = readBoolean(child);
    else if (child.localName === 'allow-anonymity') actions.allowAnonymity = readBoolean(child);
  }
  return actions;
}

/** XML Schema Part 2 §3.2.2: the xs:boolean lexical space is exactly true, false, 1 and 0. */
function readBoolean(el: Element): boolean {
  const text = collapsedText(el);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalid(`<${el.localName}> is '${text}': it must be true or false`);
}

function onlyChild(parent: Element, namespaces: readonly string[], localName: string): Element | undefined {
  const found = childElements(parent, namespaces, localName);
  if (found.length > 1) {
    throw invalid(`<${parent.localName}> has ${found.length} <${localName}> elements; at most one is allowed`);
  }
  return found[0];
}

/** An attribute's value, `undefined` when absent or blank (a blank URI or id names nothing). */
function attribute(el: Element, name: string): string | undefined {
  const value = el.getAttribute(name)?.trim();
  return value ? value : undefined;
}

function textOf(el: Element | undefined): string | undefined {
  const text = el === undefined ? '' : collapsedText(el);
  return text === '' ? undefined : text;
}

function invalid(message: string): XdmDocumentError {
  return new XdmDocumentError('schema-validation-error', message);
}
