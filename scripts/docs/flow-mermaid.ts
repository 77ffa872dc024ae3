/**
 * A call flow as Mermaid `sequenceDiagram` source: requests as solid arrows, SIP responses dashed,
 * MSRP and TCP as open (async) arrows, notes over the CF. Mermaid reads `;` and `#` in a message and
 * `<`/`>` as markup, so they are written as its entity codes.
 */
import type { FlowItem } from './flow-messages.ts';
import type { CallFlow } from './flow-model.ts';

function text(value: string): string {
  return value.replace(/[#;<>]/g, (c) => `#${c.charCodeAt(0)};`);
}

const arrows = { request: '->>', response: '-->>', media: '-)' } as const;

function itemLine(item: FlowItem): string {
  const body = item.lines.map(text).join('<br/>');
  return item.kind === 'message' ? `  ${item.from}${arrows[item.style]}${item.to}: ${body}` : `  Note over ${item.over}: ${body}`;
}

export function flowMermaid(flow: CallFlow): string {
  return [
    '---',
    `title: ${flow.scenario.title.replace(/:/g, ' -')}`,
    '---',
    'sequenceDiagram',
    ...flow.participants.map((p) => `  participant ${p.id} as ${text(p.title)}<br/>${text(p.subtitle)}`),
    ...flow.items.map(itemLine),
    '',
  ].join('\n');
}
