/**
 * `docs/site/`: one `index.html` that opens from `file://` with no network — every diagram inlined,
 * the data the viewer needs embedded as JSON — plus `viewer.js` (the `docs/viewer/` sources bundled
 * by esbuild into a classic script, since module scripts do not load from `file://`) and
 * `viewer.css`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { openQuestions, requirements } from '../../machines/requirements.ts';
import type { ConformanceReport } from '../../test/model/conformance.ts';
import type { ViewerData, ViewerState, ViewerTransition } from '../../docs/viewer/data.ts';
import { flowsShowing, type CallFlow } from './flow-model.ts';
import { drawnStates, type DrawnMachine } from './machine-graph.ts';
import { machineGroups, type MachineGroup } from './machines.ts';
import { escapeXml } from './svg.ts';

export interface SiteMachine {
  drawn: DrawnMachine;
  group: MachineGroup;
  description: string | undefined;
  svg: string;
}

export interface SiteFlow {
  flow: CallFlow;
  svg: string;
}

function transitionLabel(t: DrawnMachine['transitions'][number]): string {
  return `${t.trigger}${t.actions.length > 0 ? ` / ${t.actions.join(', ')}` : ''}`;
}

export function viewerData(machines: readonly SiteMachine[], flows: readonly CallFlow[], report: ConformanceReport): ViewerData {
  const states: Record<string, ViewerState> = {};
  const transitions: Record<string, ViewerTransition> = {};
  for (const { drawn } of machines) {
    for (const state of drawnStates(drawn)) {
      states[state.id] = {
        id: state.id,
        machine: drawn.name,
        name: state.name,
        description: state.description ?? null,
        requirements: state.requirements,
        clause: state.clause ?? null,
        entry: state.entry,
        exit: state.exit,
        flows: flows.filter((f) => f.states.includes(state.id)).map((f) => f.scenario.name),
      };
    }
    const internal = [drawn.root, ...drawnStates(drawn)].flatMap((s) => s.internal);
    for (const t of [...drawn.transitions, ...internal]) {
      transitions[t.key] = {
        key: t.key,
        machine: drawn.name,
        source: t.source,
        targets: [...t.targets],
        label: transitionLabel(t),
        requirements: t.requirements,
        clause: t.clause ?? null,
        description: t.description ?? null,
      };
    }
  }
  return {
    requirements: requirements.map((r) => {
      const traced = report.requirements.find((t) => t.id === r.id);
      return {
        id: r.id,
        block: r.block,
        step: r.step,
        level: r.level,
        summary: r.summary,
        openQuestions: r.openQuestions.map((n) => ({ number: n, title: openQuestions[n] ?? '', href: `../spec-findings.md#q${n}` })),
        states: traced?.states ?? [],
        transitions: traced?.transitions ?? [],
        flows: flowsShowing(flows, r.id).map((f) => f.scenario.name),
        paths: traced?.paths ?? 0,
      };
    }),
    machines: machines.map(({ drawn, group, description }) => ({
      name: drawn.name,
      group: machineGroups[group],
      description: description ?? null,
      states: drawnStates(drawn).map((s) => s.id),
    })),
    states,
    transitions,
    flows: flows.map((f) => ({
      name: f.scenario.name,
      title: f.scenario.title,
      summary: f.scenario.summary,
      answer: f.scenario.answer,
      requirements: f.requirements,
      states: f.states,
    })),
  };
}

function sidebar(data: ViewerData): string {
  const blocks = [...new Set(data.requirements.map((r) => r.block))];
  const steps = blocks.map((block) => [
    `<h3>${escapeXml(block)}</h3>`,
    '<ol>',
    ...data.requirements
      .filter((r) => r.block === block)
      .map((r) => `<li><a href="#req/${r.id}" data-requirement="${r.id}"><span class="id">${r.id}</span><span class="text">${escapeXml(r.summary)}</span></a></li>`),
    '</ol>',
  ]);
  const groups = [...new Set(data.machines.map((m) => m.group))];
  const machineLinks = groups.map((group) => [
    `<h3>${escapeXml(group)}</h3>`,
    '<ul>',
    ...data.machines
      .filter((m) => m.group === group)
      .map((m) => `<li><a href="#machine/${m.name}" data-view="machine/${m.name}">${escapeXml(m.name)}<span class="hits"></span></a></li>`),
    '</ul>',
  ]);
  const flowLinks = data.flows.map(
    (f) => `<li><a href="#flow/${f.name}" data-view="flow/${f.name}">${escapeXml(f.title)}<span class="hits"></span></a></li>`,
  );
  return [
    '<nav id="sidebar" aria-label="Contents">',
    '<h2>Steps of the CR</h2>',
    ...steps.flat(),
    '<h2>State machines</h2>',
    ...machineLinks.flat(),
    '<h2>Call flows</h2>',
    '<ul>',
    ...flowLinks,
    '</ul>',
    '</nav>',
  ].join('\n');
}

function view(kind: 'machine' | 'flow', name: string, title: string, description: string, svg: string): string {
  return [
    `<section class="view ${kind}" data-view="${kind}/${escapeXml(name)}" hidden>`,
    '<header>',
    `<h2>${escapeXml(title)}</h2>`,
    `<p>${escapeXml(description)}</p>`,
    '<button type="button" data-zoom="natural" aria-pressed="true">100 %</button>',
    '<button type="button" data-zoom="fit" aria-pressed="false">Fit width</button>',
    '</header>',
    `<div class="canvas">\n${svg.trimEnd()}\n</div>`,
    '</section>',
  ].join('\n');
}

/** JSON inside `<script>`: `<` escaped so that no `</script>` in the data can end the element. */
function embeddedJson(data: ViewerData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

export function siteHtml(data: ViewerData, machines: readonly SiteMachine[], flows: readonly SiteFlow[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>cpm-cf: CR 9.1.1.x machines, steps and call flows</title>',
    '<link rel="stylesheet" href="viewer.css">',
    '</head>',
    '<body>',
    '<header>',
    '<h1>cpm-cf</h1>',
    '<span class="subtitle">Large Message Mode CPM Message to a CPM Pre-defined Group: the Controlling Function, step by step</span>',
    '<input id="search" type="search" placeholder="Find a step (INV-5) or a state" aria-label="Find a step of the CR or a state" autocomplete="off">',
    '</header>',
    sidebar(data),
    '<main id="stage">',
    ...machines.map((m) => view('machine', m.drawn.name, m.drawn.name, m.description ?? '', m.svg)),
    ...flows.map(({ flow, svg }) => view('flow', flow.scenario.name, flow.scenario.title, flow.scenario.summary, svg)),
    '</main>',
    '<aside id="panel" aria-live="polite"></aside>',
    `<script type="application/json" id="viewer-data">${embeddedJson(data)}</script>`,
    '<script src="viewer.js"></script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The viewer's script and stylesheet, built from `docs/viewer/`. */
export async function viewerAssets(repository: string): Promise<{ js: string; css: string }> {
  const result = await build({
    absWorkingDir: repository,
    entryPoints: ['docs/viewer/main.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text;
  if (js === undefined) throw new Error('site: esbuild produced no viewer.js');
  return { js, css: readFileSync(join(repository, 'docs/viewer/viewer.css'), 'utf8') };
}
