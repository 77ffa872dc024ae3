/**
 * Where a step of the CR lives: every state, transition and call-flow note carrying the requirement
 * ID gets the `hit` class, and the contents list shows how many hits each machine and flow holds.
 * A search for a name instead marks the states whose id contains it.
 */
import { all, one } from './dom.ts';

export function clearHighlight(): void {
  for (const element of all('.hit')) element.classList.remove('hit');
  for (const badge of all<HTMLElement>('#sidebar .hits')) badge.textContent = '';
  for (const link of all('#sidebar .matches')) link.classList.remove('matches');
}

function markCounts(): void {
  for (const view of all<HTMLElement>('.view')) {
    const count = all('.hit', view).length;
    const link = one<HTMLElement>(`#sidebar a[data-view="${CSS.escape(view.dataset['view'] ?? '')}"]`);
    const badge = link ? one<HTMLElement>('.hits', link) : null;
    if (badge) badge.textContent = count > 0 ? String(count) : '';
    link?.classList.toggle('matches', count > 0);
  }
}

/** Marks everything that carries `id` in its `data-requirements`; returns how many elements. */
export function highlightRequirement(id: string): number {
  clearHighlight();
  const hits = all(`[data-requirements~="${CSS.escape(id)}"]`, one('#stage') ?? document);
  for (const element of hits) element.classList.add('hit');
  for (const link of all(`#sidebar [data-requirement="${CSS.escape(id)}"]`)) link.classList.add('matches');
  markCounts();
  return hits.length;
}

/** Marks the states whose id contains `text` (case-insensitive); returns their ids. */
export function highlightStates(text: string): string[] {
  clearHighlight();
  const needle = text.toLowerCase();
  const hits = all<SVGGElement>('[data-state]').filter((g) => (g.dataset['state'] ?? '').toLowerCase().includes(needle));
  for (const element of hits) element.classList.add('hit');
  markCounts();
  return hits.map((g) => g.dataset['state'] ?? '');
}
