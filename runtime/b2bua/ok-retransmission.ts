/**
 * The UAS core's 2xx retransmission (RFC 3261 §13.3.1.4): "The 2xx response is passed to the
 * transport with an interval that starts at T1 seconds and doubles for each retransmission until it
 * reaches T2 seconds. Response retransmissions cease when an ACK request for the response is
 * received." — over every transport, since "there may be hops between UAS and UAC that are UDP".
 * It gives up after 64*T1; for the initial INVITE the session's own ACK timer then ends the session.
 */
export class OkRetransmission {
  private timer: NodeJS.Timeout | undefined;
  private interval: number;
  private elapsed = 0;

  constructor(
    private readonly retransmit: () => void,
    private readonly t1: number,
    private readonly t2: number,
  ) {
    this.interval = t1;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.elapsed + this.interval > 64 * this.t1) return;
    this.timer = setTimeout(() => {
      this.elapsed += this.interval;
      this.interval = Math.min(2 * this.interval, this.t2);
      this.retransmit();
      this.schedule();
    }, this.interval);
  }
}
