/**
 * Text for a Markdown table cell: code hosts read `<name>` as an HTML tag and drop it (our summaries
 * quote XML elements such as `<supported-services>`), and `|` would end the cell.
 */
export function markdownText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}
