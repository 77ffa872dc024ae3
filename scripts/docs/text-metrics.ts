/**
 * How wide a line of text is, without a browser: the layout (ELK for state machines, our own for
 * call flows) must size boxes before anything is rendered, and it must do so identically on every
 * machine so that the generated SVGs never differ by a pixel.
 *
 * The diagrams ask for DejaVu Sans first (Verdana, the usual fallback, has near-identical widths).
 * The tables are its advance widths in em for ASCII 32–126, read from the `hmtx` table of
 * DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian `fonts-dejavu-core`).
 */

const regular = [
  0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361, 0.318, 0.337,
  0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531,
  1.0, 0.684, 0.686, 0.698, 0.77, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787,
  0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337, 0.39, 0.838, 0.5,
  0.5, 0.613, 0.635, 0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612,
  0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
];

const bold = [
  0.348, 0.456, 0.521, 0.838, 0.696, 1.002, 0.872, 0.306, 0.457, 0.457, 0.523, 0.838, 0.38, 0.415, 0.38, 0.365,
  0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.4, 0.4, 0.838, 0.838, 0.838, 0.58,
  1.0, 0.774, 0.762, 0.734, 0.83, 0.683, 0.683, 0.821, 0.837, 0.372, 0.372, 0.775, 0.637, 0.995, 0.837, 0.85,
  0.733, 0.85, 0.77, 0.72, 0.682, 0.812, 0.774, 1.103, 0.771, 0.724, 0.725, 0.457, 0.365, 0.457, 0.838, 0.5,
  0.5, 0.675, 0.716, 0.593, 0.716, 0.678, 0.435, 0.716, 0.712, 0.343, 0.343, 0.665, 0.343, 1.042, 0.712, 0.687,
  0.716, 0.716, 0.493, 0.595, 0.478, 0.712, 0.652, 0.924, 0.645, 0.652, 0.582, 0.712, 0.365, 0.712, 0.838,
];

/** Characters outside the tables (§, …, ·, →) are counted wide, so a box is never too narrow. */
const OTHER = 0.84;

export const FONT_FAMILY = "'DejaVu Sans', Verdana, sans-serif";

export type Weight = 'normal' | 'bold';

/** The advance width of `text` in pixels at `fontSize`. */
export function textWidth(text: string, fontSize: number, weight: Weight = 'normal'): number {
  const table = weight === 'bold' ? bold : regular;
  let em = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    em += table[code - 32] ?? OTHER;
  }
  return em * fontSize;
}

/**
 * Breaks `text` into lines no wider than `maxWidth`, after spaces and after the separators our
 * labels use (`,` `/` `.`), so a transition's guard or a header value stays readable; a single
 * token wider than the limit gets a line of its own rather than being cut.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, weight: Weight = 'normal'): string[] {
  const tokens = text.match(/[^\s,/.]*[\s,/.]*/g)?.filter((t) => t.length > 0) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line !== '' && textWidth((line + token).trimEnd(), fontSize, weight) > maxWidth) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else {
      line += token;
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines.length > 0 ? lines : [''];
}
