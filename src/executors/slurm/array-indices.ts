// Slurm's spelling of a set of array indices: "0-3", "1,3,5-6", "4-7%2" (a throttle after %), as sbatch --array takes
// them and scontrol, squeue and sacct print them for tasks still pending together.

// The indices a Slurm array range names, in order; the throttle suffix (%N) is ignored. Empty for text it cannot read.
export function parseArrayIndices(text: string): number[] {
  const body = text.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  const indices: number[] = [];
  for (const part of body.split(',')) {
    const match = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part.trim());
    if (!match) return [];
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    const step = match[3] === undefined ? 1 : Math.max(1, Number(match[3]));
    for (let index = first; index <= last; index += step) indices.push(index);
  }
  return indices;
}

// The --array value for these indices: consecutive runs written as ranges ("0-3,5"), with "%N" when at most N may
// run at once.
export function formatArrayIndices(indices: number[], parallel?: number): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return `${parts.join(',')}${parallel !== undefined && parallel < sorted.length ? `%${parallel}` : ''}`;
}
