import { describe, expect, it } from 'vitest';
import { requirements } from '../../machines/requirements.ts';
import { callFlow, flowsShowing } from '../../scripts/docs/flow-model.ts';
import { scenarios } from '../model/scenarios.ts';
import { checkSessionStory } from '../model/session-checks.ts';
import { runSystem } from '../model/session-system.ts';

function finalAnswer(effects: ReturnType<typeof runSystem>['effects']): number | undefined {
  const final = effects.map((e) => e.effect).find((e) => e.type === 'originator.reject' || e.type === 'originator.accept');
  if (final?.type === 'originator.accept') return 200;
  return final?.type === 'originator.reject' ? final.rejection.status : undefined;
}

describe('the call-flow scenarios', () => {
  it('have distinct names usable as file names', () => {
    const names = scenarios.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9-]+$/);
  });

  for (const scenario of scenarios) {
    describe(scenario.title, () => {
      const final = runSystem(scenario.events);

      it('tells a story every session must tell (one final answer, CANCEL or BYE per member, nothing left behind)', () => {
        expect(final.error).toBeUndefined();
        expect(() => checkSessionStory(scenario.events, final.effects.map((e) => e.effect), final.status === 'done')).not.toThrow();
      });

      it(`answers the originator ${scenario.answer} and ${scenario.released ? 'releases' : 'keeps'} the session`, () => {
        expect(finalAnswer(final.effects)).toBe(scenario.answer);
        expect(final.status).toBe(scenario.released ? 'done' : 'active');
      });
    });
  }

  it('show, between them, every step of the CR but the empty INV-3', () => {
    const flows = scenarios.map(callFlow);
    const unshown = requirements.filter((r) => flowsShowing(flows, r.id).length === 0).map((r) => r.id);
    expect(unshown).toEqual(['INV-3']);
  });

  it('cover every rejection the INVITE block can answer, by status and requirement', () => {
    const rejections = new Set(
      scenarios.flatMap((s) => runSystem(s.events).effects.flatMap(({ effect }) =>
        effect.type === 'originator.reject' ? [`${effect.rejection.status} ${effect.requirement ?? '-'}`] : [])),
    );
    expect([...rejections].sort()).toEqual(
      ['403 INV-1', '404 INV-2', '403 INV-4', '403 INV-5', '422 INV-6', '488 -', '480 INV-10', '500 INV-9', '503 INV-9', '487 -'].sort(),
    );
  });
});
