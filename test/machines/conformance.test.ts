import { beforeAll, describe, expect, it } from 'vitest';
import { requirements } from '../../machines/requirements.ts';
import { runConformance, specificationMachines, tracedStates, tracedTransitions, type ConformanceReport } from '../model/conformance.ts';

let report: ConformanceReport;
beforeAll(() => {
  report = runConformance();
});

describe('the model-based paths of every machine', () => {
  it('produce, on every path, exactly the effects the CR and RFCs ask for', () => {
    const failures = report.runs.filter((r) => r.failure !== null);
    expect(failures.map((f) => `${f.machine} [${f.label}] ${f.events.map((e) => e.type).join(' → ')}: ${f.failure}`)).toEqual([]);
    expect(report.paths).toBeGreaterThan(1000);
  });

  it('cover every state and every transition of every machine', () => {
    for (const machine of report.machines) {
      expect({ machine: machine.name, uncovered: [...machine.uncoveredStates, ...machine.uncoveredTransitions] }).toEqual({ machine: machine.name, uncovered: [] });
    }
  });

  it('pass through every requirement of the CR but the empty INV-3', () => {
    for (const requirement of report.requirements) {
      if (requirement.id === 'INV-3') expect(requirement.paths).toBe(0);
      else expect({ id: requirement.id, paths: requirement.paths > 0 }).toEqual({ id: requirement.id, paths: true });
    }
  });
});

describe('the requirement catalogue', () => {
  it('has one entry per ID of READING.md, INV-3 catalogued as empty', () => {
    expect(requirements.map((r) => r.id)).toEqual([
      'INV-1', 'INV-2', 'INV-3', 'INV-4', 'INV-5', 'INV-6', 'INV-7', 'INV-8', 'INV-9', 'INV-10',
      'OK-1', 'OK-2', 'OK-3', 'OK-4', 'OK-5', 'OK-6', 'OK-7', 'ACK-1', 'SEND-1', 'BYE-1', 'BYE-2', 'BYE-3',
    ]);
    expect(requirements.find((r) => r.id === 'INV-3')?.level).toBe('empty');
  });

  it('leaves no requirement but INV-3 unreferenced by the machines', () => {
    const referenced = new Set(
      specificationMachines.flatMap(({ machine }) => [
        ...tracedStates(machine).flatMap((s) => s.requirements),
        ...tracedTransitions(machine).flatMap((t) => t.requirements),
      ]),
    );
    expect(requirements.filter((r) => !referenced.has(r.id)).map((r) => r.id)).toEqual(['INV-3']);
  });

  it('gives every state of the CR blocks a description', () => {
    for (const { machine } of specificationMachines) {
      for (const state of tracedStates(machine)) expect({ state: state.id, described: Boolean(state.description) }).toEqual({ state: state.id, described: true });
    }
  });
});
