/**
 * Everything `npm run docs` writes, as file contents keyed by their path under `docs/`: the
 * machines drawn (SVG, Mermaid, index), the call flows of the named scenarios (SVG, Mermaid, index),
 * the traceability table and the viewer site. Pure of the file system but for reading sources, so
 * `--check` can compare it with what is committed.
 */
import { fileURLToPath } from 'node:url';
import { runConformance } from '../../test/model/conformance.ts';
import { scenarios } from '../../test/model/scenarios.ts';
import { callFlow, type CallFlow } from './flow-model.ts';
import { flowMermaid } from './flow-mermaid.ts';
import { flowSvg } from './flow-svg.ts';
import { callFlowsIndex, machinesIndex } from './indexes.ts';
import { drawnMachine } from './machine-graph.ts';
import { documentedMachines } from './machines.ts';
import { siteHtml, viewerAssets, viewerData, type SiteMachine } from './site.ts';
import { layoutMachine } from './state-layout.ts';
import { machineMermaid } from './state-mermaid.ts';
import { machineSvg } from './state-svg.ts';
import { testTitles } from './test-titles.ts';
import { traceabilityMarkdown } from './traceability.ts';

export const repository = fileURLToPath(new URL('../..', import.meta.url));

async function drawMachines(): Promise<(SiteMachine & { mermaid: string })[]> {
  return Promise.all(
    documentedMachines.map(async ({ name, machine, group }) => {
      const drawn = drawnMachine(name, machine);
      return { drawn, group, description: machine.root.description, svg: machineSvg(await layoutMachine(drawn)), mermaid: machineMermaid(drawn) };
    }),
  );
}

function drawCallFlows(): { flow: CallFlow; svg: string; mermaid: string }[] {
  return scenarios.map((scenario) => {
    const flow = callFlow(scenario);
    return { flow, svg: flowSvg(flow), mermaid: flowMermaid(flow) };
  });
}

export async function generateDocs(): Promise<Map<string, string>> {
  const machines = await drawMachines();
  const flows = drawCallFlows();
  const report = runConformance();
  const assets = await viewerAssets(repository);
  const data = viewerData(machines, flows.map((f) => f.flow), report);
  return new Map([
    ...machines.flatMap((m) => [[`machines/${m.drawn.name}.svg`, m.svg], [`machines/${m.drawn.name}.mmd`, m.mermaid]] as const),
    ['machines/index.md', machinesIndex(documentedMachines)],
    ...flows.flatMap((f) => [[`call-flows/${f.flow.scenario.name}.svg`, f.svg], [`call-flows/${f.flow.scenario.name}.mmd`, f.mermaid]] as const),
    ['call-flows/index.md', callFlowsIndex(flows.map((f) => f.flow))],
    ['traceability.md', traceabilityMarkdown(report, flows.map((f) => f.flow), testTitles(repository))],
    ['site/index.html', siteHtml(data, machines, flows)],
    ['site/viewer.js', assets.js],
    ['site/viewer.css', assets.css],
  ]);
}
