/** Cutting a byte stream into the pieces a socket might deliver, for the framers' fuzzing. */

/** `bytes` cut at the given points (any numbers, taken modulo the length). */
export function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...points, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
}
