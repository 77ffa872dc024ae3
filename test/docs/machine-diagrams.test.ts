import { beforeAll, describe, expect, it } from 'vitest';
import { drawnMachine } from '../../scripts/docs/machine-graph.ts';
import { documentedMachines } from '../../scripts/docs/machines.ts';
import { layoutMachine } from '../../scripts/docs/state-layout.ts';
import { machineSvg } from '../../scripts/docs/state-svg.ts';
import { machineStates, machineTransitions } from '../support/coverage.ts';

function attributeValues(svg: string, attribute: string): string[] {
  return [...svg.matchAll(new RegExp(` ${attribute}="([^"]*)"`, 'g'))].map((m) => (m[1] ?? '').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

describe.each(documentedMachines)('the diagram of $name', ({ name, machine }) => {
  let svg: string;
  beforeAll(async () => {
    svg = machineSvg(await layoutMachine(drawnMachine(name, machine)));
  });

  it('draws every state of the machine, once, findable by data-state', () => {
    expect(attributeValues(svg, 'data-state').sort()).toEqual([...machineStates(machine)].sort());
  });

  it('draws every transition, as an edge or as an internal transition of its state', () => {
    expect(new Set(attributeValues(svg, 'data-transition'))).toEqual(new Set(machineTransitions(machine).map((t) => t.key)));
  });

  it('is laid out the same way every time', async () => {
    expect(machineSvg(await layoutMachine(drawnMachine(name, machine)))).toBe(svg);
  });
});

describe('the INVITE block diagram', () => {
  it('draws the rejecting branches of INV-1 … INV-5 apart from the passing path', async () => {
    const invite = documentedMachines.find((m) => m.name === 'invite');
    if (!invite) throw new Error('the invite machine is not documented');
    const svg = machineSvg(await layoutMachine(drawnMachine(invite.name, invite.machine)));
    const rejecting = [...svg.matchAll(/<g class="transition rejecting" data-transition="[^"]*" data-source="[^"]*" data-target="([^"]*)" data-requirements="([^"]*)"/g)];
    const requirementsRejected = new Set(rejecting.flatMap((m) => (m[2] ?? '').split(' ')));
    for (const id of ['INV-1', 'INV-2', 'INV-4', 'INV-5']) expect(requirementsRejected).toContain(id);
    for (const match of rejecting) expect(match[1]).toMatch(/\.rejected[A-Z]/);
    expect(svg).toMatch(/\.machine-diagram \.transition\.rejecting path \{[^}]*stroke-dasharray/);
  });
});
