/**
 * Wireshark as an independent MSRP decoder: `dumpcap` records loopback traffic on the given ports,
 * and `tshark` decodes the capture with its own MSRP dissector (`-d tcp.port==N,msrp`), one record
 * per MSRP frame (`-T json --no-duplicate-keys` keeps several frames of one packet apart, which
 * `-T fields` would merge). The fields are those of `tshark -G fields | grep msrp`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TSHARK_AVAILABLE = spawnSync('tshark', ['--version']).status === 0 && spawnSync('dumpcap', ['--version']).status === 0;

/** One MSRP frame as tshark decoded it. */
export interface DecodedFrame {
  readonly frameNumber: number;
  readonly kind: 'request' | 'response' | 'undecoded';
  /** From the start-line. */
  readonly transactionId: string | undefined;
  readonly method: string | undefined;
  readonly statusCode: number | undefined;
  /** From the end-line. */
  readonly endLineTransactionId: string | undefined;
  readonly flag: string | undefined;
  readonly byteRange: string | undefined;
  readonly messageId: string | undefined;
  readonly toPath: string | undefined;
  readonly fromPath: string | undefined;
  readonly failureReport: string | undefined;
}

export class Capture {
  readonly #process: ChildProcess;
  readonly #directory: string;
  readonly #file: string;
  readonly #ports: readonly number[];
  readonly #probe: Server;
  #stderr = '';

  private constructor(process: ChildProcess, directory: string, ports: readonly number[], probe: Server) {
    this.#process = process;
    this.#directory = directory;
    this.#file = join(directory, 'capture.pcapng');
    this.#ports = ports;
    this.#probe = probe;
    process.stderr?.on('data', (data: Buffer) => {
      this.#stderr += data.toString();
    });
  }

  /**
   * Starts `dumpcap` on loopback for TCP on `ports`; resolves once packets are being written.
   * dumpcap says "Capturing on" before its filter is in place, so a probe connection (on a port of
   * its own, also captured) sends until the file grows: a frame missed at the start of a stream
   * would leave tshark unable to reassemble the rest.
   */
  static async start(ports: readonly number[]): Promise<Capture> {
    const directory = await mkdtemp(join(tmpdir(), 'cpm-cf-tshark-'));
    const probe = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const filter = [portOf(probe), ...ports].map((port) => `tcp port ${port}`).join(' or ');
    const child = spawn('dumpcap', ['-i', 'lo', '-B', '128', '-f', filter, '-w', join(directory, 'capture.pcapng')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const capture = new Capture(child, directory, ports, probe);
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', () => {
        if (capture.#stderr.includes('Capturing on')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`dumpcap exited (${code}) before capturing: ${capture.#stderr}`)));
    });
    await capture.#probeUntilWritten();
    return capture;
  }

  /**
   * Stops the capture once everything sent so far is in the file (a last probe must be there,
   * and dumpcap writes in order); rejects if packets were dropped, as the decode would be partial.
   */
  async stop(): Promise<void> {
    await this.#probeUntilWritten();
    this.#probe.close();
    const exited = new Promise((resolve) => this.#process.once('exit', resolve));
    this.#process.kill('SIGINT');
    await exited;
    const dropped = /dropped on interface '[^']*': \d+\/(\d+)/.exec(this.#stderr);
    if (dropped === null || dropped[1] !== '0') throw new Error(`dumpcap lost packets or did not report: ${this.#stderr}`);
  }

  async #probeUntilWritten(): Promise<void> {
    const size = async (): Promise<number> => (await stat(this.#file).catch(() => undefined))?.size ?? 0;
    const before = await size();
    // One packet of the 64 KiB probe is far bigger than what dumpcap writes ahead of packets.
    for (let attempt = 0; (await size()) < before + (32 << 10); attempt++) {
      if (attempt === 200) throw new Error('dumpcap wrote no packet of the probe connection');
      const socket = connect(portOf(this.#probe), '127.0.0.1');
      await new Promise<void>((resolve) => socket.end(Buffer.alloc(64 << 10), resolve));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Every MSRP frame in the capture, in capture order. */
  decode(): DecodedFrame[] {
    const args = ['-r', this.#file, ...this.#ports.flatMap((port) => ['-d', `tcp.port==${port},msrp`]), '-o', 'msrp.display_raw_text:FALSE', '-T', 'json', '--no-duplicate-keys', '-J', 'msrp frame'];
    const result = spawnSync('tshark', args, { maxBuffer: 1 << 30, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tshark failed: ${result.stderr}`);
    const packets = JSON.parse(result.stdout) as { _source: { layers: Record<string, unknown> } }[];
    return packets.flatMap((packet) => {
      const layers = packet._source.layers;
      const frameNumber = Number(field(layers['frame'], 'frame.number'));
      const msrp = layers['msrp'];
      if (msrp === undefined) return [];
      return (Array.isArray(msrp) ? msrp : [msrp]).map((pdu: unknown) => frameOf(frameNumber, pdu as Record<string, unknown>));
    });
  }

  async dispose(): Promise<void> {
    if (this.#process.exitCode === null) this.#process.kill('SIGKILL');
    this.#probe.close();
    await rm(this.#directory, { recursive: true, force: true });
  }
}

function frameOf(frameNumber: number, pdu: Record<string, unknown>): DecodedFrame {
  const request = pdu['msrp.request.line_tree'];
  const response = pdu['msrp.response.line_tree'];
  const start = request ?? response;
  const headers = pdu['msrp.msg.hdr'];
  const end = pdu['msrp.end.line_tree'];
  const status = field(response, 'msrp.status.code');
  return {
    frameNumber,
    kind: request !== undefined ? 'request' : response !== undefined ? 'response' : 'undecoded',
    transactionId: field(start, 'msrp.transaction.id'),
    method: field(request, 'msrp.method'),
    statusCode: status === undefined ? undefined : Number(status),
    endLineTransactionId: field(end, 'msrp.transaction.id'),
    flag: field(end, 'msrp.cnt.flg'),
    byteRange: field(headers, 'msrp.byte.range'),
    messageId: field(headers, 'msrp.messageid'),
    toPath: field(headers, 'msrp.to.path'),
    fromPath: field(headers, 'msrp.from.path'),
    failureReport: field(headers, 'msrp.failure.report'),
  };
}

function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}

function field(tree: unknown, name: string): string | undefined {
  if (tree === null || typeof tree !== 'object') return undefined;
  const value = (tree as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
