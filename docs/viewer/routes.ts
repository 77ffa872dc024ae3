/**
 * The viewer's places, kept in `location.hash` so that links work from `file://`, the back button
 * works, and a reviewer can send a link to a state, a step or a call flow.
 */

export type Route =
  | { kind: 'home' }
  | { kind: 'machine'; name: string }
  | { kind: 'state'; id: string }
  | { kind: 'transition'; key: string }
  | { kind: 'requirement'; id: string }
  | { kind: 'flow'; name: string };

const kinds = { machine: 'machine', state: 'state', transition: 'transition', req: 'requirement', flow: 'flow' } as const;

export function parseRoute(hash: string): Route {
  const [prefix, ...rest] = hash.replace(/^#/, '').split('/');
  const value = decodeURIComponent(rest.join('/'));
  const kind = kinds[prefix as keyof typeof kinds];
  if (kind === undefined || value === '') return { kind: 'home' };
  switch (kind) {
    case 'machine':
    case 'flow':
      return { kind, name: value };
    case 'state':
    case 'requirement':
      return { kind, id: value };
    case 'transition':
      return { kind, key: value };
  }
}

export function href(route: Route): string {
  switch (route.kind) {
    case 'home':
      return '#';
    case 'machine':
      return `#machine/${encodeURIComponent(route.name)}`;
    case 'state':
      return `#state/${encodeURIComponent(route.id)}`;
    case 'transition':
      return `#transition/${encodeURIComponent(route.key)}`;
    case 'requirement':
      return `#req/${encodeURIComponent(route.id)}`;
    case 'flow':
      return `#flow/${encodeURIComponent(route.name)}`;
  }
}
