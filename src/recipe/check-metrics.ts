import type { RawRecipe } from './schema.ts';
import type { RuleIssue } from './check-placeholders.ts';
import { parseCondition, conditionMetrics, ConditionSyntaxError } from '../until/parse-condition.ts';
import { EVOLVE_STAGES, RL_STAGES, isRlStage } from './stage-names.ts';
import { didYouMean } from './suggest.ts';

// Checks every metric name a recipe mentions (stop rule, main metric, directions) is STAGE.METRIC of a defined stage.
export function checkMetrics(raw: RawRecipe): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const defined: string[] = [
    ...EVOLVE_STAGES.filter((s) => (raw.stages as Record<string, unknown>)[s] !== undefined),
    ...RL_STAGES.filter((s) => (raw.rl?.stages as Record<string, unknown> | undefined)?.[s] !== undefined),
  ];
  const check = (name: string, path: RuleIssue['path'], atKey = false) => {
    // The stop rule decides when the loop ends; the RL phase runs after that, so its metrics cannot stop it.
    if (path[0] === 'until' && isRlStage(name.split('.')[0]!)) {
      issues.push({
        path,
        message:
          `"${name}" is an RL-phase metric, which exists only after the loop has stopped; stop on a loop metric such as ` + `eval.accuracy`,
        atKey,
      });
      return;
    }
    const problem = metricProblem(name, defined);
    if (problem) issues.push({ path, message: problem, atKey });
  };
  const until = raw.until;
  if (until.metric !== undefined) {
    try {
      for (const name of conditionMetrics(parseCondition(until.metric))) check(name, ['until', 'metric']);
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      issues.push({ path: ['until', 'metric'], message: `${error.message}`, column: error.offset });
    }
  }
  if (until.plateau) check(until.plateau.metric, ['until', 'plateau', 'metric']);
  if (raw.metrics?.main !== undefined) check(raw.metrics.main, ['metrics', 'main']);
  for (const name of Object.keys(raw.metrics?.direction ?? {})) check(name, ['metrics', 'direction', name], true);
  return issues;
}

function metricProblem(name: string, defined: readonly string[]): string | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) {
    return `"${name}" is not a metric name: write STAGE.METRIC, e.g. eval.accuracy (METRIC is a key of the stage's metrics.json)`;
  }
  const stage = name.slice(0, dot);
  if (defined.includes(stage)) return undefined;
  return `"${name}" names stage "${stage}", which this recipe does not define.${didYouMean(stage, defined)} Stages: ${defined.join(', ')}`;
}
