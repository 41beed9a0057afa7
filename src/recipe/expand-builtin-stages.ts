import { fileURLToPath } from 'node:url';
import type { RawRecipe, RawStage } from './schema.ts';
import type { RuleIssue } from './check-placeholders.ts';
import type { PathSegment } from './locate.ts';
import { BUILTIN_KINDS } from './builtin-kinds.ts';
import { didYouMean } from './suggest.ts';

// The `loop` program a built-in stage runs: this installation's entry, under the node running it now.
export const LOOP_BIN = fileURLToPath(new URL('../../bin/loop.mjs', import.meta.url));

export interface Expanded {
  raw: RawRecipe;
  issues: RuleIssue[];
  // For each expanded command argument, the recipe key it came from (so placeholder errors point into `with:`).
  origins: Map<string, PathSegment[]>;
}

// Turns every `kind: NAME` + `with:` stage into the `command` that runs `loop data NAME` with those options, and
// declares the kind's outputs, before any other rule reads the recipe. The recipe is not modified.
export function expandBuiltinStages(raw: RawRecipe): Expanded {
  const issues: RuleIssue[] = [];
  const origins = new Map<string, PathSegment[]>();
  const expandAll = (from: Record<string, RawStage | undefined>, base: PathSegment[]): Record<string, RawStage> => {
    const stages: Record<string, RawStage> = {};
    for (const [name, stage] of Object.entries(from)) {
      if (!stage) continue;
      stages[name] = stage.kind === undefined ? stage : expandStage([...base, name], stage, issues, origins);
    }
    return stages;
  };
  const stages = expandAll(raw.stages as Record<string, RawStage | undefined>, ['stages']);
  // The RL phase's stages may be built-in kinds too (rl_grade: kind grade, rl_filter: kind rl-filter).
  const rl =
    raw.rl === undefined
      ? undefined
      : { ...raw.rl, stages: expandAll(raw.rl.stages as Record<string, RawStage | undefined>, ['rl', 'stages']) as typeof raw.rl.stages };
  return { raw: { ...raw, stages: stages as RawRecipe['stages'], ...(rl ? { rl } : {}) }, issues, origins };
}

function expandStage(stagePath: PathSegment[], stage: RawStage, issues: RuleIssue[], origins: Map<string, PathSegment[]>): RawStage {
  const name = String(stagePath[stagePath.length - 1]);
  const kind = BUILTIN_KINDS[stage.kind!]!;
  const at = (...rest: PathSegment[]): PathSegment[] => [...stagePath, ...rest];
  const options = stage.with ?? {};
  const command: string[] = [process.execPath, LOOP_BIN, 'data', stage.kind!];
  const origin = (path: PathSegment[]) => origins.set(`${name}\u0000${command.length - 1}`, path);
  origin(at('kind'));
  for (const key of Object.keys(options)) {
    if (!kind.options.includes(key)) {
      issues.push({
        path: at('with', key),
        atKey: true,
        message: `kind ${stage.kind} has no option "${key}".${didYouMean(key, [...kind.options])} Options: ${kind.options.join(', ')}`,
      });
    }
  }
  for (const key of kind.required) {
    if (options[key] === undefined)
      issues.push({ path: at('with'), message: `kind ${stage.kind} needs the option "${key}"; add "${key}:" under with:` });
  }
  if (stage.outputs !== undefined) {
    const declared = Object.entries(kind.outputs)
      .map(([k, o]) => `${k}: ${o.file}`)
      .join(', ');
    issues.push({
      path: at('outputs'),
      atKey: true,
      message: `kind ${stage.kind} declares its outputs itself (${declared}); remove "outputs"`,
    });
  }
  for (const key of kind.options) {
    const value = options[key];
    if (value === undefined || value === false) continue;
    const flag = `--${key.replace(/_/g, '-')}`;
    if (Array.isArray(value)) {
      if (!kind.lists.includes(key)) {
        issues.push({ path: at('with', key), message: `takes one value, not a list` });
        continue;
      }
      value.forEach((item, i) => {
        command.push(flag);
        origin(at('with', key, i));
        command.push(String(item));
        origin(at('with', key, i));
      });
    } else if (value === true) {
      command.push(flag);
      origin(at('with', key));
    } else {
      command.push(flag);
      origin(at('with', key));
      command.push(String(value));
      origin(at('with', key));
    }
  }
  for (const output of Object.values(kind.outputs)) command.push(output.flag, `{{ out }}/${output.file}`);
  if (kind.metrics) command.push('--metrics', '{{ out }}/metrics.json');
  const outputs = Object.fromEntries(Object.entries(kind.outputs).map(([k, o]) => [k, o.file]));
  return { ...stage, command, outputs };
}

// Points an issue found in an expanded command at the `with:` key the argument came from.
export function originOf(issue: RuleIssue, origins: Map<string, PathSegment[]>): RuleIssue {
  const [stage, key, index] = issue.path[0] === 'rl' ? issue.path.slice(2) : issue.path.slice(1);
  const root = issue.path[0] === 'rl' ? issue.path[1] : issue.path[0];
  if (root !== 'stages' || key !== 'command' || typeof index !== 'number') return issue;
  const origin = origins.get(`${String(stage)}\u0000${index}`);
  return origin ? { ...issue, path: origin } : issue;
}
