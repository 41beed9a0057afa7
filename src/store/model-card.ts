import { stringify } from 'yaml';
import type { Provenance } from '../provenance/collect-provenance.ts';
import { rlMetricNames } from '../metrics/rl-metric-order.ts';

export interface CardInput {
  repoId: string;
  role: 'sft' | 'rm' | 'rl';
  run: string;
  iteration: number;
  datasetRepo: string;
  baseModel?: string;
  mainMetric: string;
  /** Metrics per finished iteration, the last ones through N, named STAGE.METRIC. */
  iterations: Array<{ index: number; metrics: Record<string, number> }>;
  /** How many iterations before the first in `iterations` the table leaves out. */
  earlier?: number;
  provenance: Provenance | null;
  /** For the RL policy's card: the RL phase's metrics and the SFT repo it was trained from (at iter-N). */
  rl?: { metrics: Record<string, number>; sftRepo: string };
}

// What differs between the cards of the three models: which metrics are theirs, their tags, task and first line.
function roleOf(input: CardInput) {
  switch (input.role) {
    case 'sft':
      return { prefix: 'eval.', tag: 'iterative-sft', task: 'text-generation', what: 'SFT policy' };
    case 'rm':
      return { prefix: 'train_rm.', tag: 'reward-model', task: 'text-classification', what: 'reward model' };
    case 'rl':
      return { prefix: 'rl_eval.', tag: 'grpo', task: 'text-generation', what: 'RL policy (GRPO)' };
  }
}

// The model repo's README.md: YAML front matter the Hub reads (base model, datasets, results in `model-index`
// form) and a table of metrics per iteration. Deterministic for a given run, so republishing changes nothing.
export function modelCard(input: CardInput): string {
  const role = roleOf(input);
  const current = input.rl?.metrics ?? input.iterations.find((i) => i.index === input.iteration)?.metrics ?? {};
  const { prefix } = role;
  const results = Object.entries(current)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, value]) => ({ type: name, name, value }));
  const name = input.repoId.split('/')[1]!;
  const front = {
    ...(input.rl ? { base_model: input.rl.sftRepo } : input.baseModel ? { base_model: input.baseModel } : {}),
    datasets: [input.datasetRepo],
    tags: ['loop', role.tag],
    'model-index': [
      {
        name,
        results: results.length
          ? [
              {
                task: { type: role.task },
                dataset: { name: `${input.run} evaluation`, type: input.datasetRepo },
                metrics: results,
              },
            ]
          : [],
      },
    ],
  };
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const metrics = input.rl ? rlPhaseTable(input, input.rl.metrics, row) : iterationTable(input, prefix, row);
  const p = input.provenance;
  const provenance = p
    ? [
        `- recipe sha256: \`${p.recipeSha256}\``,
        `- loop ${p.tool.version}`,
        p.git
          ? `- git: \`${p.git.commit}\`${p.git.branch ? ` on ${p.git.branch}` : ''}` +
            `${p.git.dirty ? ' (uncommitted changes)' : ''}${p.git.remote ? `, ${p.git.remote}` : ''}`
          : '- git: the recipe was not in a Git repository',
        `- hosts: ${[...new Set([p.hosts.controller, ...Object.values(p.hosts.stages)])].join(', ')}`,
      ]
    : ['- not recorded'];
  return [
    '---',
    stringify(front).trimEnd(),
    '---',
    '',
    `# ${name}`,
    '',
    input.rl
      ? `The ${role.what} of run \`${input.run}\`, made by loop (the Qwen2.5-Math self-improvement method): trained ` +
        `after iteration ${input.iteration}, from the SFT policy \`${input.rl.sftRepo}\` at \`iter-${input.iteration}\` with ` +
        `that iteration's reward model. Branch \`iter-${input.iteration}\`, \`main\` and the tag \`final\` hold it.`
      : `The ${role.what} of run \`${input.run}\`, iteration ${input.iteration}, made by loop ` +
        `(the Qwen2.5-Math self-improvement method). Each iteration is a branch: load one with \`revision="iter-N"\`; ` +
        `\`main\` is the latest, tags \`best\` and \`final\` mark the best (by ${input.mainMetric}) and the last.`,
    '',
    ...metrics,
    '',
    `## Provenance of iteration ${input.iteration}`,
    '',
    ...provenance,
    '',
  ].join('\n');
}

type Row = (cells: string[]) => string;

// Every iteration's metrics of this model (its prefix) and the main metric, with the revision that holds it.
function iterationTable(input: CardInput, prefix: string, row: Row): string[] {
  const columns = [...new Set(input.iterations.flatMap((i) => Object.keys(i.metrics)))]
    .filter((n) => n === input.mainMetric || n.startsWith(prefix))
    .sort((a, b) => (a === input.mainMetric ? -1 : b === input.mainMetric ? 1 : a.localeCompare(b)));
  return [
    '## Metrics per iteration',
    '',
    row(['iteration', 'revision', ...columns]),
    row(['---', '---', ...columns.map(() => '---:')]),
    ...input.iterations.map((it) =>
      row([String(it.index), `iter-${it.index}`, ...columns.map((c) => (it.metrics[c] === undefined ? '—' : String(it.metrics[c])))]),
    ),
    ...(input.earlier
      ? ['', `Iterations 0–${input.earlier - 1} are left out here; each has its metrics.json in ${input.datasetRepo}.`]
      : []),
  ];
}

// The RL phase's metrics (rl_eval's first), then the SFT policy's main metric it started from.
function rlPhaseTable(input: CardInput, metrics: Record<string, number>, row: Row): string[] {
  const names = rlMetricNames(metrics);
  const start = input.iterations.find((i) => i.index === input.iteration)?.metrics[input.mainMetric];
  return [
    '## Metrics of the RL phase',
    '',
    row(['metric', 'value']),
    row(['---', '---:']),
    ...names.map((n) => row([n, String(metrics[n])])),
    ...(start === undefined ? [] : [row([`${input.mainMetric} of the SFT policy it started from`, String(start)])]),
  ];
}
