/** A full garbage collection on demand, for heap readings that count what is live, not garbage. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');

/** V8's `gc()`, reachable once `--expose-gc` is set. */
export const collectGarbage = runInNewContext('gc') as () => void;
