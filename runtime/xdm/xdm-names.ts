/**
 * The names the Shared Group XDM format and XCAP put on the wire: namespaces, the AUID and media
 * types. Kept in one place so that the parser, the client and the embedded XDMS cannot disagree.
 */

/** OMA PoC list-service: the `<group>` root, `<list-service>`, its `<list>` and settings. */
export const NS_LIST_SERVICE = 'urn:oma:xml:poc:list-service';
/** RFC 4826 resource-lists: some XDMSs qualify `<list>`/`<entry>` with it instead. */
export const NS_RESOURCE_LISTS = 'urn:ietf:params:xml:ns:resource-lists';
/** RFC 4745 common policy: `<ruleset>`, `<rule>`, `<conditions>`, `<identity>`, `<actions>`. */
export const NS_COMMON_POLICY = 'urn:ietf:params:xml:ns:common-policy';
/** OMA common policy conditions: `<is-list-member/>`, `<other-identity/>`, `<anonymous-request/>`. */
export const NS_OMA_COMMON_POLICY = 'urn:oma:xml:xdm:common-policy';
/** READING.md: implementations put `<supported-services>` in either of these; both are accepted. */
export const NS_SUPPORTED_SERVICES = ['urn:oma:xml:xdm:extensions', 'urn:oma:xml:xdm:group'] as const;
/** RFC 4825 §11: the body of a 409 that explains why a PUT was refused. */
export const NS_XCAP_ERROR = 'urn:ietf:params:xml:ns:xcap-error';

/** OMA XDM Shared Group: the application usage of group documents. */
export const GROUPS_AUID = 'org.openmobilealliance.groups';
export const GROUP_DOCUMENT_MEDIA_TYPE = 'application/vnd.oma.poc.groups+xml';
/** RFC 4825 §15.2.1. */
export const XCAP_ERROR_MEDIA_TYPE = 'application/xcap-error+xml';
