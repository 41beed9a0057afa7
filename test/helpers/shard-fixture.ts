import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureRecipe, makeFixture } from './fixture-run.ts';

// A shard script for tests: logs "SHARD:ATTEMPT" to shard-calls.txt, writes three JSONL lines and a folder output
// in its own {{ out }}, a metric, and fails once with code 5 when it is shard $FAIL_SHARD and fail-once-marker is absent.
export const SHARD_SCRIPT = `#!/bin/bash
out="$1"
echo "$LOOP_SHARD_INDEX:$LOOP_ATTEMPT" >> "$WORK/shard-calls.txt"
echo "shard $LOOP_SHARD_INDEX of $LOOP_SHARD_COUNT (slurm task \${SLURM_ARRAY_TASK_ID:-none}) attempt $LOOP_ATTEMPT"
for i in 1 2 3; do echo "{\\"shard\\": $2, \\"line\\": $i}" >> "$out/samples.jsonl"; done
printf 'no trailing newline %s' "$LOOP_SHARD_INDEX" > "$out/notes.txt"
mkdir -p "$out/dir" && echo "$LOOP_SHARD_INDEX" > "$out/dir/who"
echo "{\\"count\\": $((LOOP_SHARD_INDEX * 2))}" > "$out/metrics.json"
if [ -f "$WORK/sleep-shard" ]; then sleep "$(cat "$WORK/sleep-shard")"; fi
if [ "$LOOP_SHARD_INDEX" = "$FAIL_SHARD" ] && [ ! -f "$WORK/fail-once-marker" ]; then
  touch "$WORK/fail-once-marker"; echo "shard $LOOP_SHARD_INDEX fails this time" >&2; exit 5
fi
exit 0
`;

// The fixture recipe with train_sft sharded: `shards` tasks of shard.sh, shard FAIL_SHARD failing its first run.
export function makeShardFixture(options: {
  shards: number;
  failShard?: number;
  attempts?: number;
  parallel?: number;
  maxIterations?: number;
}) {
  const extra = [
    `    shards: ${options.shards}`,
    ...(options.parallel ? [`    parallel_shards: ${options.parallel}`] : []),
    `    retry: { attempts: ${options.attempts ?? 2} }`,
    '',
  ].join('\n');
  const base = fixtureRecipe({ maxIterations: options.maxIterations ?? 0 });
  const recipe = base.replace(
    / {2}train_sft:\n[^\n]*\n {4}outputs: \{ artifact: artifact \}\n {4}env: \{ WORK: "\{\{ recipe_dir \}\}" \}\n/,
    `  train_sft:\n    command: [bash, "{{ recipe_dir }}/shard.sh", "{{ out }}", "{{ shard }}"]\n` +
      `    outputs: { artifact: samples.jsonl, notes: notes.txt, folder: dir }\n` +
      `    env: { WORK: "{{ recipe_dir }}", FAIL_SHARD: "${options.failShard ?? -1}" }\n${extra}`,
  );
  if (recipe === base) throw new Error('the fixture recipe changed; update makeShardFixture');
  const fixture = makeFixture(recipe);
  writeFileSync(path.join(fixture.dir, 'shard.sh'), SHARD_SCRIPT, { mode: 0o755 });
  return fixture;
}

// The expected merged samples.jsonl: three lines per shard, in shard order.
export function expectedSamples(shards: number): string {
  return Array.from({ length: shards }, (_, s) => [1, 2, 3].map((i) => `{"shard": ${s}, "line": ${i}}\n`).join('')).join('');
}
