/** What every bench line says about the machine it ran on, so numbers are read in context. */
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryMB: number;
  readonly node: string;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMB: Math.round(totalmem() / 1e6),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** One JSON line on stdout: the only thing benches print there. */
export function emit(record: object): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}
