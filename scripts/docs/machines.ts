/**
 * The machines the docs draw: the CR's blocks and the session that composes them (those carry the
 * requirement IDs and have model-based paths), then the RFC 3261 §17 transactions they run on
 * (traced to RFC clauses only).
 */
import type { AnyStateMachine } from 'xstate';
import {
  inviteClientTransaction,
  inviteServerTransaction,
  nonInviteClientTransaction,
  nonInviteServerTransaction,
} from '../../machines/transactions/index.ts';
import { specificationMachines } from '../../test/model/conformance.ts';

export type MachineGroup = 'cr' | 'transactions';

export interface DocumentedMachine {
  name: string;
  machine: AnyStateMachine;
  group: MachineGroup;
}

export const machineGroups: Record<MachineGroup, string> = {
  cr: 'CR 9.1.1.x blocks and the session',
  transactions: 'RFC 3261 §17 transactions',
};

export const documentedMachines: DocumentedMachine[] = [
  ...specificationMachines.map(({ name, machine }) => ({ name, machine, group: 'cr' as const })),
  ...[inviteServerTransaction, inviteClientTransaction, nonInviteServerTransaction, nonInviteClientTransaction].map((machine) => ({
    name: machine.id,
    machine: machine as AnyStateMachine,
    group: 'transactions' as const,
  })),
];
