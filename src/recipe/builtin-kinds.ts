// The built-in stage kinds: a recipe stage may say `kind: select` with options under `with:` instead of a `command`.
// Each runs `loop data KIND …` through the stage's executor like any command, so logs, retries and crash safety are
// the same. Options are the command's flags in snake_case (`top_k: 2` → `--top-k 2`); docs/reference/recipe.md.

export interface BuiltinKind {
  // Options the kind accepts, and those it needs.
  options: readonly string[];
  required: readonly string[];
  // Options that may be given a list (the flag is repeated).
  lists: readonly string[];
  // Declared outputs (name → file under {{ out }}) and the flag that names each file.
  outputs: Readonly<Record<string, { file: string; flag: string }>>;
  // Whether the command writes metrics.json through --metrics.
  metrics: boolean;
}

const JUDGING = ['budget_ms', 'workers', 'skip_bad'];

export const BUILTIN_KINDS: Readonly<Record<string, BuiltinKind>> = {
  grade: {
    options: ['queries', 'samples', 'tir_check', 'tir_timeout_ms', ...JUDGING],
    required: ['queries', 'samples'],
    lists: ['queries'],
    outputs: { graded: { file: 'graded.jsonl', flag: '--out' } },
    metrics: true,
  },
  select: {
    options: ['queries', 'samples', 'top_k', 'weighting', 'vote_distinct', ...JUDGING],
    required: ['queries', 'samples'],
    lists: ['queries'],
    outputs: { data: { file: 'selected.jsonl', flag: '--out' }, votes: { file: 'votes.jsonl', flag: '--votes' } },
    metrics: true,
  },
  vote: {
    options: ['queries', 'samples', 'k', ...JUDGING],
    required: ['queries', 'samples'],
    lists: ['queries'],
    outputs: { report: { file: 'vote.json', flag: '--out' } },
    metrics: true,
  },
  'rm-data': {
    options: ['samples', 'queries', 'group', 'pairs', 'ungrouped', 'skip_bad'],
    required: ['samples'],
    lists: [],
    outputs: { data: { file: 'rm-data.jsonl', flag: '--out' } },
    metrics: false,
  },
  'rl-filter': {
    options: ['samples', 'queries', 'min', 'max', 'skip_bad'],
    required: ['samples'],
    lists: [],
    outputs: { data: { file: 'rl-queries.jsonl', flag: '--out' } },
    metrics: true,
  },
  reward: {
    options: ['samples', 'alpha', 'skip_bad'],
    required: ['samples'],
    lists: [],
    outputs: { data: { file: 'rewarded.jsonl', flag: '--out' } },
    metrics: false,
  },
  decontaminate: {
    options: ['train', 'test', 'field', 'test_field', 'ngram', 'lcs', 'shingle', 'max_candidates', 'max_postings', 'workers', 'skip_bad'],
    required: ['train', 'test'],
    lists: ['test'],
    outputs: { data: { file: 'clean.jsonl', flag: '--out' }, removed: { file: 'removed.jsonl', flag: '--removed' } },
    metrics: false,
  },
  dedup: {
    options: ['in', 'threshold', 'field', 'num_perm', 'shingle', 'skip_bad'],
    required: ['in'],
    lists: [],
    outputs: { data: { file: 'dedup.jsonl', flag: '--out' }, removed: { file: 'removed.jsonl', flag: '--removed' } },
    metrics: false,
  },
};

export const BUILTIN_KIND_NAMES = Object.keys(BUILTIN_KINDS) as [string, ...string[]];
