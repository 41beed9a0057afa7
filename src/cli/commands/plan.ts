import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loadRecipe } from '../../recipe/load-recipe.ts';
import { describePlan, type PlannedStage } from '../../recipe/describe-plan.ts';
import { formatDuration } from '../../until/parse-duration.ts';
import { shellQuote } from '../output/format.ts';

export const planHelp = `Usage: loop plan RECIPE [--set PATH=VALUE]... [--json]

Validates a recipe and prints its stage graph: the order of stages in iteration 0 and in
every later iteration, what each stage reads, where it runs, and its command with
{{ placeholders }} as written. Runs nothing and creates no run.

Options:
  --set PATH=VALUE   override a recipe key (repeatable), e.g. --set until.max_iterations=2
  --json             print the plan as JSON
  -h, --help         show this help`;

// `loop plan RECIPE`: validate and show the stage graph and every command, run nothing.
export async function planCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('plan', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    set: { type: 'string', multiple: true },
  });
  if (values.help) return (io.print(planHelp), 0);
  if (positionals.length !== 1) throw new UsageError('loop plan needs one recipe file, e.g. `loop plan recipes/quickstart.yaml`');
  const recipe = loadRecipe(positionals[0]!, { sets: values.set ?? [] });
  const plan = describePlan(recipe);
  // Loaded here, not at the top: `plan --help` loads no executor code (test/cli/help-without-engine.test.ts).
  const { checkPrograms } = await import('../../executors/check-programs.ts');
  for (const warning of checkPrograms(recipe, io.env.PATH)) io.error(io.err.yellow(`loop: warning: ${warning}`));
  if (values.json) {
    io.print(JSON.stringify(plan, null, 2));
    return 0;
  }
  const s = io.out;
  const lines = [
    `${s.bold(plan.name)}  loop: ${plan.loop}  seed: ${plan.seed}  recipe: ${recipe.recipeFile}`,
    `stops ${plan.stopRule.join(', or ')}`,
    '',
    `${s.bold('iteration 0')}    ${plan.iteration0.join(' → ')} → decide`,
    `${s.bold('iterations 1+')}  ${plan.iteration.join(' → ')} → decide`,
    ...(plan.rl.length ? [`${s.bold('RL phase')}       ${plan.rl.join(' → ')}  ${s.dim('(once, after the loop stops)')}`] : []),
    ...(plan.rlDisabled ? [`${s.bold('RL phase')}       ${s.dim('disabled (rl.enabled: false; --set rl.enabled=true turns it on)')}`] : []),
  ];
  plan.stages.forEach((stage, i) => lines.push('', ...renderStage(stage, i + 1, io)));
  io.print(lines.join('\n'));
  return 0;
}

function renderStage(stage: PlannedStage, n: number, io: CliIO): string[] {
  const s = io.out;
  const r = stage.resources;
  const resources = [
    r.gpus ? `${r.gpus} GPU${r.gpus > 1 ? 's' : ''}` : undefined,
    `${r.cpus} CPU${r.cpus > 1 ? 's' : ''}`,
    r.memory,
    r.timeSeconds !== undefined ? `limit ${formatDuration(r.timeSeconds)}` : undefined,
    stage.retry.attempts > 1 ? `${stage.retry.attempts} attempts` : undefined,
    stage.shards !== undefined
      ? `${stage.shards} shard${stage.shards > 1 ? 's' : ''}${stage.parallelShards ? ` (${stage.parallelShards} at once)` : ''}`
      : undefined,
  ].filter(Boolean);
  const outputs = Object.entries(stage.outputs).map(([k, v]) => `${k}=${v}`);
  return [
    `${n}. ${s.bold(stage.name)}  ${s.dim(`(${stage.runs})`)}  ${stage.executor} · ${resources.join(' · ')}`,
    ...(stage.reads.length ? [`   reads    ${stage.reads.join(', ')}`] : []),
    ...(outputs.length ? [`   writes   ${outputs.join(', ')}`] : []),
    `   ${s.dim('$')} ${shellQuote(stage.command)}`,
  ];
}
