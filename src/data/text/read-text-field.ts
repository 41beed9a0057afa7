// The text a row contributes under a field spec: "question" reads one field, "body+question" joins several with a
// space (missing, null or empty fields are left out). Returns undefined when no named field holds a string or number.
export function readTextField(row: Record<string, unknown>, fields: readonly string[]): string | undefined {
  let text: string | undefined;
  for (const field of fields) {
    const value = row[field];
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const part = String(value);
    if (part === '') continue;
    text = text === undefined ? part : `${text} ${part}`;
  }
  return text;
}

// Parses a field spec ("question", "body+question") into its field names.
export function parseFieldSpec(spec: string): string[] {
  return spec
    .split('+')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}
