import { stringify } from 'yaml';
import type { Provenance } from '../provenance/collect-provenance.ts';

export interface CardInput {
  repoId: string;
  role: 'sft' | 'rm';
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
}

// The model repo's README.md: YAML front matter the Hub reads (base model, datasets, results in `model-index`
// form) and a table of metrics per iteration. Deterministic for a given run, so republishing changes nothing.
export function modelCard(input: CardInput): string {
  const current = input.iterations.find((i) => i.index === input.iteration)?.metrics ?? {};
  const prefix = input.role === 'sft' ? 'eval.' : 'train_rm.';
  const results = Object.entries(current)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, value]) => ({ type: name, name, value }));
  const name = input.repoId.split('/')[1]!;
  const front = {
    ...(input.baseModel ? { base_model: input.baseModel } : {}),
    datasets: [input.datasetRepo],
    tags: ['loop', input.role === 'sft' ? 'iterative-sft' : 'reward-model'],
    'model-index': [
      {
        name,
        results: results.length
          ? [
              {
                task: { type: input.role === 'sft' ? 'text-generation' : 'text-classification' },
                dataset: { name: `${input.run} evaluation`, type: input.datasetRepo },
                metrics: results,
              },
            ]
          : [],
      },
    ],
  };
  const columns = [...new Set(input.iterations.flatMap((i) => Object.keys(i.metrics)))]
    .filter((n) => n === input.mainMetric || n.startsWith(prefix))
    .sort((a, b) => (a === input.mainMetric ? -1 : b === input.mainMetric ? 1 : a.localeCompare(b)));
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const table = [
    row(['iteration', 'revision', ...columns]),
    row(['---', '---', ...columns.map(() => '---:')]),
    ...input.iterations.map((it) =>
      row([String(it.index), `iter-${it.index}`, ...columns.map((c) => (it.metrics[c] === undefined ? '—' : String(it.metrics[c])))]),
    ),
    ...(input.earlier
      ? ['', `Iterations 0–${input.earlier - 1} are left out here; each has its metrics.json in ${input.datasetRepo}.`]
      : []),
  ];
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
    `The ${input.role === 'sft' ? 'SFT policy' : 'reward model'} of run \`${input.run}\`, iteration ${input.iteration}, made by loop ` +
      `(the Qwen2.5-Math self-improvement method). Each iteration is a branch: load one with \`revision="iter-N"\`; ` +
      `\`main\` is the latest, tags \`best\` and \`final\` mark the best (by ${input.mainMetric}) and the last.`,
    '',
    '## Metrics per iteration',
    '',
    ...table,
    '',
    `## Provenance of iteration ${input.iteration}`,
    '',
    ...provenance,
    '',
  ].join('\n');
}
