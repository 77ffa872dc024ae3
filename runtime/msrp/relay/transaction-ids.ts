/**
 * Transaction-ids for the CF's own requests, as `newTransactionId()` of the serializer makes them
 * (96 bits from the CSPRNG, in hex) but drawn from a pool that is refilled by one CSPRNG call per
 * few hundred ids: the relay makes one per chunk per member, and one call each cost a tenth of
 * the relay's CPU in the fan-out bench.
 */
import { randomFillSync } from 'node:crypto';

const ID_BYTES = 12;
const pool = Buffer.allocUnsafeSlow(ID_BYTES * 512);
let next = pool.length;

export function pooledTransactionId(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const id = pool.toString('hex', next, next + ID_BYTES);
  next += ID_BYTES;
  return id;
}
