// Text made safe inside HTML elements and double-quoted attributes.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// JSON safe inside a <script> element: no `</script>`, no `<!--`, no line separators that end a JS string.
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// A number for a table cell: integers as they are, others to four decimals at most; a dash for none.
export function cell(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}
