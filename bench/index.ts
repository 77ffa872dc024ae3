/**
 * `npm run bench` runs every bench; `npm run bench -- msrp` runs the benches named (flags such as
 * `--large` go to the benches). Each bench prints JSON lines only, one object per measurement.
 *
 * A bench is one entry below: its name and the module whose `run(flags)` does the measuring.
 */
export interface Bench {
  readonly name: string;
  load(): Promise<{ run(flags: readonly string[]): Promise<void> }>;
}

export const BENCHES: readonly Bench[] = [{ name: 'msrp', load: () => import('./msrp-fanout.ts') }, { name: 'sip', load: () => import('./sip-load.ts') }];

async function main(argv: readonly string[]): Promise<void> {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown bench ${unknown.join(', ')}; known: ${BENCHES.map((bench) => bench.name).join(', ')}`);
  }
  for (const bench of BENCHES) {
    if (names.length === 0 || names.includes(bench.name)) await (await bench.load()).run(flags);
  }
}

await main(process.argv.slice(2));
