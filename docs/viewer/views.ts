/**
 * The centre of the page: one diagram at a time (a machine or a call flow), the selected state or
 * transition marked and scrolled into sight, and the zoom (natural size or fitted to the width).
 */
import { all, attributeIs, one } from './dom.ts';

export function showView(view: string): void {
  for (const section of all<HTMLElement>('.view')) section.hidden = section.dataset['view'] !== view;
  for (const link of all<HTMLElement>('#sidebar a')) link.classList.toggle('current', link.dataset['view'] === view);
}

export function currentView(): HTMLElement | null {
  return one<HTMLElement>('.view:not([hidden])');
}

export function select(attribute: 'data-state' | 'data-transition' | null, value = ''): void {
  for (const element of all('.selected')) element.classList.remove('selected');
  if (attribute === null) return;
  const view = currentView();
  const target = view ? one(attributeIs(attribute, value), view) : null;
  if (!target) return;
  target.classList.add('selected');
  target.scrollIntoView({ block: 'center', inline: 'center' });
}

/** Scrolls the first highlighted element of the current view into sight. */
export function revealFirstHit(): void {
  const view = currentView();
  const hit = view ? one('.hit', view) : null;
  hit?.scrollIntoView({ block: 'center', inline: 'center' });
}

export function setZoom(view: HTMLElement, fit: boolean): void {
  view.classList.toggle('fit', fit);
  for (const button of all<HTMLButtonElement>('[data-zoom]', view)) button.setAttribute('aria-pressed', String((button.dataset['zoom'] === 'fit') === fit));
}
