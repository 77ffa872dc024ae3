/**
 * Typed errors of the XDM layer, each with a stable `CPM_ERR_XDM_*` code that tests and logs key
 * on (the message is for people and may change).
 */

/**
 * How a document is wrong, named as the RFC 4825 §11.2 `<xcap-error>` child an XDMS answers with,
 * so that the embedded XDMS can report a refused PUT without a second classification.
 */
export type XcapDocumentFault = 'not-well-formed' | 'not-utf-8' | 'schema-validation-error' | 'constraint-failure';

export abstract class XdmError extends Error {
  abstract readonly code: string;
}

/** A Shared Group XDM document that cannot be read as a `GroupDocument`. */
export class XdmDocumentError extends XdmError {
  override readonly name = 'XdmDocumentError';
  readonly code = 'CPM_ERR_XDM_BAD_DOCUMENT';

  constructor(
    readonly fault: XcapDocumentFault,
    message: string,
  ) {
    super(message);
  }
}

/** An option of `XcapClient` or `startXdms` that cannot work; the message says what to pass instead. */
export class XdmOptionsError extends XdmError {
  override readonly name = 'XdmOptionsError';
  readonly code = 'CPM_ERR_XDM_BAD_OPTIONS';
}

/** The embedded XDMS's groups directory cannot be served: unreadable, a bad file, or a group twice. */
export class XdmGroupsDirError extends XdmError {
  override readonly name = 'XdmGroupsDirError';
  readonly code = 'CPM_ERR_XDM_GROUPS_DIR';
}
