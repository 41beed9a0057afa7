// Lays rows out in aligned columns; widths ignore ANSI colour codes.
export function table(rows: string[][], gap = 2): string {
  const width = (cell: string) => cell.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell) + gap)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}
