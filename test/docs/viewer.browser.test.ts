/**
 * The committed viewer (`docs/site/index.html`) in a real browser: Debian's Chromium driven by
 * playwright-core with a fresh profile, the page opened from `file://` with every other request
 * refused. Screenshots go to `test-results/` for a human to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirements } from '../../machines/requirements.ts';
import { repository } from '../../scripts/docs/generate.ts';
import { documentedMachines } from '../../scripts/docs/machines.ts';
import { tracedStates } from '../model/conformance.ts';
import { machineStates } from '../support/coverage.ts';

const CHROMIUM = '/usr/bin/chromium';
const screenshots = join(repository, 'test-results');
const site = pathToFileURL(join(repository, 'docs/site/index.html')).href;

let profile: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const refusedRequests: string[] = [];

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'cpm-cf-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
  });
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith('file:')) return route.continue();
    refusedRequests.push(route.request().url());
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(site);
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Ids of the states that the visible view does not draw with a size. */
async function invisibleStates(ids: readonly string[]): Promise<string[]> {
  const drawn = await page.locator('.view:not([hidden]) [data-state]').evaluateAll((elements) =>
    elements.filter((e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0).map((e) => e.getAttribute('data-state')),
  );
  return ids.filter((id) => !drawn.includes(id));
}

async function currentView(): Promise<string | null> {
  return page.locator('.view:not([hidden])').getAttribute('data-view');
}

describe('the viewer, opened from file:// in Chromium', () => {
  it('loads without a script error and without asking the network for anything', async () => {
    await expect.poll(() => page.locator('#panel h2').textContent()).toContain('CR 9.1.1.x');
    expect(pageErrors).toEqual([]);
    expect(refusedRequests).toEqual([]);
  });

  it('renders every state of every machine', async () => {
    for (const { name, machine } of documentedMachines) {
      await page.click(`#sidebar a[data-view="machine/${name}"]`);
      await expect.poll(currentView).toBe(`machine/${name}`);
      expect({ machine: name, missing: await invisibleStates(machineStates(machine)) }).toEqual({ machine: name, missing: [] });
    }
  });

  it("shows a clicked state's requirement IDs, our summary, its transitions and the call flows through it", async () => {
    await page.click('#sidebar a[data-view="machine/invite"]');
    await expect.poll(currentView).toBe('machine/invite');
    await page.click('[data-state="invite.checkingAnonymity"]');
    const statePanel = page.locator('#panel [data-panel-state="invite.checkingAnonymity"]');
    await expect.poll(() => statePanel.isVisible()).toBe(true);
    const text = (await statePanel.textContent()) ?? '';
    const inv5 = requirements.find((r) => r.id === 'INV-5');
    expect(text).toContain('INV-5');
    expect(text).toContain(inv5?.summary);
    expect(text).toContain('anonymityIsAllowed');
    expect(text).toContain('INV-5: anonymity not allowed');
    expect(await page.locator('[data-state="invite.checkingAnonymity"]').getAttribute('class')).toContain('selected');
    await page.screenshot({ path: join(screenshots, 'viewer-state-panel.png') });
  });

  it('highlights where BYE-2 lives when it is searched', async () => {
    await page.fill('#search', 'BYE-2');
    const expected = documentedMachines.flatMap(({ machine }) => tracedStates(machine).filter((s) => s.requirements.includes('BYE-2')).map((s) => s.id));
    await expect.poll(() => page.locator('.hit[data-state]').count()).toBe(expected.length);
    const highlighted = await page.locator('.hit[data-state]').evaluateAll((elements) => elements.map((e) => e.getAttribute('data-state')));
    expect(highlighted.sort()).toEqual([...expected].sort());
    expect(await page.locator('.view:not([hidden]) .hit[data-state]').first().isVisible()).toBe(true);
    expect(await page.locator('#panel [data-panel-requirement="BYE-2"]').isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, 'viewer-search-BYE-2.png') });
  });

  it('leads from every step of the CR to a state realising it and to a call flow showing it, in two clicks each', async () => {
    for (const requirement of requirements.filter((r) => r.level !== 'empty')) {
      const step = `#sidebar a[data-requirement="${requirement.id}"]`;
      await page.click(step);
      await page.click('#panel .requirement-panel ul.states a >> nth=0');
      await expect.poll(() => page.locator('.view:not([hidden]) .selected').count()).toBe(1);
      const selected = await page.locator('.view:not([hidden]) .selected').getAttribute('data-state');
      const realising = documentedMachines.flatMap(({ machine }) => tracedStates(machine).filter((s) => s.requirements.includes(requirement.id)).map((s) => s.id));
      expect({ step: requirement.id, state: realising.includes(selected ?? '') }).toEqual({ step: requirement.id, state: true });

      await page.click(step);
      await page.click('#panel .requirement-panel ul.flows a >> nth=0');
      await expect.poll(currentView).toMatch(/^flow\//);
      const shown = await page.locator(`.view:not([hidden]) .note.hit[data-requirements~="${requirement.id}"]`).count();
      expect({ step: requirement.id, notes: shown > 0 }).toEqual({ step: requirement.id, notes: true });
    }
    await page.screenshot({ path: join(screenshots, 'viewer-call-flow.png') });
  });
});
