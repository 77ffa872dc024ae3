/**
 * A `MediaRelay` for signalling tests: it opens no socket and moves no byte, but records every call
 * the session host makes on it, and lets a test play the MSRP side back (a member connected, a SEND
 * arrived) through the session's `MediaEvents`. Tests only: the CF itself runs the real relay.
 */
import type { FocusMedia, LegIndex, MsrpMedia } from '../../machines/types.ts';
import type { RelayFactory } from '../../runtime/cf.ts';
import type { MediaEvents, MediaRelay, MediaSession } from '../../runtime/media.ts';

export interface RecordedCall {
  readonly method: keyof MediaSession;
  readonly leg?: LegIndex;
  readonly media?: MsrpMedia;
}

export class RecordedSession implements MediaSession {
  readonly calls: RecordedCall[] = [];
  released = false;

  constructor(
    readonly focus: FocusMedia,
    readonly events: MediaEvents,
  ) {}

  expectOriginator(answer: MsrpMedia): void {
    this.calls.push({ method: 'expectOriginator', media: answer });
  }
  connectOriginator(offer: MsrpMedia): void {
    this.calls.push({ method: 'connectOriginator', media: offer });
  }
  connectMember(leg: LegIndex, answer: MsrpMedia): void {
    this.calls.push({ method: 'connectMember', leg, media: answer });
  }
  awaitMember(leg: LegIndex, answer: MsrpMedia): void {
    this.calls.push({ method: 'awaitMember', leg, media: answer });
  }
  relayToMember(leg: LegIndex): void {
    this.calls.push({ method: 'relayToMember', leg });
  }
  abortDelivery(leg: LegIndex): void {
    this.calls.push({ method: 'abortDelivery', leg });
  }
  closeMember(leg: LegIndex): void {
    this.calls.push({ method: 'closeMember', leg });
  }
  report(): void {
    this.calls.push({ method: 'report' });
  }
  release(): void {
    this.released = true;
    this.calls.push({ method: 'release' });
  }
}

export class RecordingRelay implements MediaRelay {
  readonly sessions: RecordedSession[] = [];

  constructor(readonly authority: string) {}

  openSession(focus: FocusMedia, events: MediaEvents): MediaSession {
    const session = new RecordedSession(focus, events);
    this.sessions.push(session);
    return session;
  }

  get openSessions(): number {
    return this.sessions.filter((s) => !s.released).length;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.released = true;
  }
}

/** A relay factory that also hands the test the relay it made. */
export function recordingRelayFactory(): { startRelay: RelayFactory; relay: () => RecordingRelay } {
  let made: RecordingRelay | undefined;
  return {
    startRelay: async (config) => {
      made = new RecordingRelay(`msrp://${config.host}:${config.msrpPort === 0 ? 2855 : config.msrpPort}`);
      return made;
    },
    relay: () => {
      if (made === undefined) throw new Error('the CF has not started its relay');
      return made;
    },
  };
}
