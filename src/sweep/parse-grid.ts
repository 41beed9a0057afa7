import { UsageError } from '../errors/loop-error.ts';

// One axis of a sweep: a recipe key path and the values it takes, as typed (each read as YAML, like --set).
export interface GridAxis {
  path: string;
  values: string[];
}

// `--grid vars.top_k=2,4 --grid seed=1,2`: one axis per flag, values split on commas, in the order given.
export function parseGrid(texts: string[] | undefined): GridAxis[] {
  if (!texts || texts.length === 0) throw new UsageError('loop sweep needs at least one --grid PATH=V1,V2, e.g. --grid vars.top_k=2,4');
  const axes = texts.map((text): GridAxis => {
    const eq = text.indexOf('=');
    const path = text.slice(0, Math.max(0, eq));
    const values = text
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim());
    if (eq <= 0 || !/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(path) || values.some((v) => v === '')) {
      throw new UsageError(
        `--grid "${text}" is not PATH=V1,V2,…: a recipe key path joined with dots and values split by commas, e.g. --grid vars.top_k=2,4`,
      );
    }
    if (new Set(values).size !== values.length) throw new UsageError(`--grid "${text}" repeats a value; give each value once`);
    return { path, values };
  });
  const paths = axes.map((a) => a.path);
  const twice = paths.find((p, i) => paths.indexOf(p) !== i);
  if (twice) throw new UsageError(`--grid ${twice} is given twice; list all its values in one --grid ${twice}=V1,V2`);
  return axes;
}

// Every combination of the axes' values, the first axis varying slowest: [{path: value, …}, …].
export function gridCombinations(axes: GridAxis[]): Array<Record<string, string>> {
  return axes.reduce<Array<Record<string, string>>>(
    (combos, axis) => combos.flatMap((combo) => axis.values.map((value) => ({ ...combo, [axis.path]: value }))),
    [{}],
  );
}
