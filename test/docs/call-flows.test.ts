import { describe, expect, it } from 'vitest';
import type { FlowItem } from '../../scripts/docs/flow-messages.ts';
import { callFlow, type CallFlow } from '../../scripts/docs/flow-model.ts';
import { flowMermaid } from '../../scripts/docs/flow-mermaid.ts';
import { flowSvg } from '../../scripts/docs/flow-svg.ts';
import { scenarios } from '../model/scenarios.ts';

function flowNamed(name: string): CallFlow {
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  return callFlow(scenario);
}

/** The step IDs of the last note before the first message whose first line starts with `line`. */
function stepsBefore(flow: CallFlow, from: string, line: string): string[] {
  const index = flow.items.findIndex((i) => i.kind === 'message' && i.from === from && (i.lines[0] ?? '').startsWith(line));
  expect(index, `a message from ${from} starting '${line}'`).toBeGreaterThan(0);
  const note = flow.items.slice(0, index).reverse().find((i): i is Extract<FlowItem, { kind: 'note' }> => i.kind === 'note' && i.role === 'steps');
  return note?.requirements ?? [];
}

describe('a call flow names the step of the CR where each message is sent', () => {
  it("puts INV-5, not INV-6, above the 403 'Anonymity not allowed'", () => {
    const steps = stepsBefore(flowNamed('inv-5-anonymity'), 'cf', '403');
    expect(steps).toContain('INV-5');
    expect(steps).not.toContain('INV-6');
  });

  it('puts INV-2 above the 404 and INV-6 above the 422', () => {
    expect(stepsBefore(flowNamed('inv-2-no-cpm-service'), 'cf', '404')).toContain('INV-2');
    expect(stepsBefore(flowNamed('inv-6-session-interval'), 'cf', '422')).toContain('INV-6');
  });

  it("puts OK-1 … OK-7 above the CF's 200 OK and ACK-1 above the TCP connect towards the member", () => {
    const flow = flowNamed('success-one-member');
    expect(stepsBefore(flow, 'cf', '200 OK')).toEqual(expect.arrayContaining(['OK-1', 'OK-2', 'OK-3', 'OK-4', 'OK-5', 'OK-6', 'OK-7']));
    expect(stepsBefore(flow, 'cf', 'TCP connect')).toContain('ACK-1');
  });

  it('puts BYE-2 above the CANCEL of a pending member and BYE-1 above the answer to the sender', () => {
    expect(stepsBefore(flowNamed('cancel-before-answer'), 'cf', 'CANCEL')).toContain('BYE-2');
    expect(stepsBefore(flowNamed('success-one-member'), 'cf', '200 OK (BYE)')).toContain('BYE-1');
  });

  it('draws one lifeline per member the CF invited, and the XDMS only when it was asked', () => {
    const three = flowNamed('success-three-members');
    expect(three.participants.map((p) => p.id)).toEqual(['originator', 'cf', 'xdms', 'member1', 'member2', 'member3']);
    expect(flowNamed('inv-1-unauthenticated').participants.map((p) => p.id)).toEqual(['originator', 'cf']);
  });
});

describe('the drawn call flows', () => {
  const flows = scenarios.map(callFlow);

  it('mark every note with the step IDs it names, for the viewer to highlight', () => {
    for (const flow of flows) {
      const svg = flowSvg(flow);
      const named = flow.items.filter((i) => i.kind === 'note' && i.requirements.length > 0).length;
      expect(svg.match(/class="note steps" data-requirements="/g)?.length ?? 0).toBe(named);
    }
  });

  it('write Mermaid messages with ; # < > as entity codes, so sequenceDiagram parses them as text', () => {
    for (const flow of flows) {
      const texts = flowMermaid(flow).split('\n').filter((line) => line.startsWith('  ') && !line.startsWith('  participant ')).map((line) => line.slice(line.indexOf(': ') + 2));
      expect(texts.length).toBe(flow.items.length);
      for (const text of texts) {
        expect(text.replace(/#\d+;/g, '')).not.toMatch(/[;#]/);
        expect(text.replace(/<br\/>/g, '')).not.toMatch(/[<>]/);
      }
    }
  });
});
