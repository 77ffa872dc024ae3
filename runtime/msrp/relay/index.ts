/**
 * The CF's MSRP relay: `startMsrpRelay` gives the `MediaRelay` of `runtime/media.ts`.
 */
export { startMsrpRelay, MsrpRelay } from './msrp-relay.ts';
export type { MsrpRelayOptions, RelayLogger } from './options.ts';
export { RelayError, RELAY_ERRORS, type RelayErrorCode } from './relay-errors.ts';
