/**
 * A small SVG writer: elements as strings, one per line, attributes in the order given, numbers
 * rounded to a tenth of a pixel. Committed diagrams are compared byte for byte (`docs:check`), so
 * the output must not depend on floating-point noise or on object key order.
 */

export type Attributes = Record<string, string | number | undefined>;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate or length as written: at most one decimal, never `-0`. */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

function attributeText(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`)
    .join('');
}

/** `<name …/>`, or `<name …>children</name>` with each child on its own line. */
export function element(name: string, attributes: Attributes, children: readonly string[] = []): string {
  if (children.length === 0) return `<${name}${attributeText(attributes)}/>`;
  return `<${name}${attributeText(attributes)}>\n${children.join('\n')}\n</${name}>`;
}

/** An element whose only content is text, kept on one line. */
export function textElement(name: string, attributes: Attributes, text: string): string {
  return `<${name}${attributeText(attributes)}>${escapeXml(text)}</${name}>`;
}

export interface Point {
  x: number;
  y: number;
}

export function pathData(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(p.x)} ${num(p.y)}`).join(' ');
}

/** The root `<svg>` with a `viewBox` of the given size, its `<style>` first so it renders standalone. */
export function svgDocument(width: number, height: number, css: string, attributes: Attributes, children: readonly string[]): string {
  return `${element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      width: num(width),
      height: num(height),
      ...attributes,
    },
    [textElement('style', {}, css), ...children],
  )}\n`;
}
