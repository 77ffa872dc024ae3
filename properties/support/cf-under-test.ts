/**
 * The seam between the simulated world and the CF it tests. The world's commands and the
 * invariants only use this interface, so the same properties run against the machines alone
 * (`machine-executor.ts`) or against the runtime on loopback sockets (`socket-executor.ts`), which
 * writes each action as SIP or MSRP bytes, fires the runtime's injected clock for `clock` actions,
 * and records what the sockets carry back into the trace.
 */
import type { CfPolicy } from '../../machines/types.ts';
import type { TraceStep } from './trace.ts';
import type { WorldAction } from './world-actions.ts';

export interface CfUnderTest {
  /**
   * Carries one action to the CF and returns once the CF has reacted to it: every effect it had
   * is in the trace by then (a socket executor waits until the CF is idle again).
   */
  perform(action: WorldAction): void | Promise<void>;
  /** The CF has released the session (BYE-3). */
  readonly released: boolean;
  /** Whatever of the session is still alive (actors, connections; a runtime adds its spool files): empty once it is gone. */
  leftovers(): string[];
  /** Where the session stands, for failure messages. */
  describe(): string;
  /** Frees what the CF under test holds (sockets, listeners) once the run is judged. */
  close?(): Promise<void>;
}

/** Creates a CF with one session to test, recording every step of its story into `record`. */
export type CfFactory = (policy: CfPolicy, record: (step: TraceStep) => void) => CfUnderTest;
