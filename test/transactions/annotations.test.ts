/**
 * The machines are part of the formal specification: diagrams and traces read their states'
 * and transitions' `description` and `meta.clause`, and they must stay pure.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import {
  inviteClientTransaction,
  inviteServerTransaction,
  nonInviteClientTransaction,
  nonInviteServerTransaction,
} from '../../machines/transactions/index.ts';

const machines: Record<string, AnyStateMachine> = {
  inviteClientTransaction,
  nonInviteClientTransaction,
  inviteServerTransaction,
  nonInviteServerTransaction,
};

const RFC_STATES = ['calling', 'trying', 'proceeding', 'completed', 'confirmed', 'accepted', 'terminated'];
const CLAUSE = /^RFC (3261|6026) §\d+(\.\d+)*$/;

function nodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child: AnyStateNode) => nodes(child))];
}

describe.each(Object.entries(machines))('%s', (_, machine) => {
  const all = nodes(machine.root);

  it('names its states as the RFC does', () => {
    expect(Object.keys(machine.root.states).filter((state) => !RFC_STATES.includes(state))).toEqual([]);
  });

  it('gives every state and transition a description and the clause it realises', () => {
    const transitions = all.flatMap((node) => [...node.transitions.values()].flat().concat(node.always ?? []));
    const unannotated = [...all, ...transitions]
      .filter(({ description, meta }) => !description || !CLAUSE.test(String((meta as { clause?: unknown } | undefined)?.clause)))
      .map((item) => ('id' in item ? item.id : `${item.source.id} on ${item.eventType || 'always'}`));
    expect(unannotated).toEqual([]);
  });

  it('is pure: no delayed transitions and no invoked actors', () => {
    expect(all.flatMap((node) => [...node.after, ...node.invoke])).toEqual([]);
  });

  it('ends in a final "terminated" state', () => {
    expect(machine.root.states.terminated?.type).toBe('final');
  });
});
