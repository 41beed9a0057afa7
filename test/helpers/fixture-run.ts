import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A bash stage script for tests: logs its call to calls.txt, writes its declared output and optional metrics,
// and misbehaves on request through files in the work dir (fail-STAGE holds an exit code, fail-first-STAGE fails attempt 1, sleep-STAGE
// holds seconds).
export const STAGE_SCRIPT = `#!/bin/bash
stage="$LOOP_STAGE"; out="$1"; shift
echo "$LOOP_ITERATION:$stage" >> "$WORK/calls.txt"
echo "stage $stage iteration $LOOP_ITERATION attempt $LOOP_ATTEMPT"
printf '%s\\n' "$@" > "$out/args.txt"
echo artifact > "$out/artifact"
if [ -f "$WORK/sleep-$stage" ]; then sleep "$(cat "$WORK/sleep-$stage")"; fi
if [ "$stage" = eval ]; then echo "{\\"accuracy\\": 0.$((LOOP_ITERATION + 3))}" > "$out/metrics.json"; fi
if [ -f "$WORK/bad-metrics-$stage" ]; then echo '{"accuracy": "high"}' > "$out/metrics.json"; fi
if [ -f "$WORK/no-output-$stage" ]; then rm "$out/artifact"; fi
if [ -f "$WORK/fail-first-$stage" ] && [ "$LOOP_ATTEMPT" = 1 ]; then echo "first attempt of $stage fails" >&2; exit 1; fi
if [ -f "$WORK/fail-$stage" ]; then echo "something broke in $stage" >&2; exit "$(cat "$WORK/fail-$stage")"; fi
exit 0
`;

// A recipe whose stages all run STAGE_SCRIPT; `extra` lines are appended under each stage.
export function fixtureRecipe(options: { maxIterations?: number; stageExtra?: Record<string, string> } = {}): string {
  const stage = (name: string, args = '') =>
    `  ${name}:\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"${args}]\n    outputs: { artifact: artifact }\n    env: { ` +
    `WORK: "{{ recipe_dir }}" }\n${options.stageExtra?.[name] ?? ''}`;
  return [
    'name: fixture',
    'loop: evolve',
    'seed: 1',
    'vars:',
    `  hostile: "; rm -rf / $(touch pwned) 'q' \\"dq\\" two  spaces"`,
    'inputs: { seed_data: stage.sh }',
    'stages:',
    stage('train_sft', ', "{{ select.artifact ?? inputs.seed_data }}", "{{ vars.hostile }}"'),
    stage('sample_rm', ', "{{ train_sft.artifact }}"'),
    stage('train_rm'),
    stage('sample_sft'),
    stage('select'),
    stage('eval'),
    'until:',
    `  max_iterations: ${options.maxIterations ?? 2}`,
    '',
  ].join('\n');
}

// A temp dir holding stage.sh and recipe.yaml; returns its paths.
export function makeFixture(recipe = fixtureRecipe()): { dir: string; recipeFile: string; calls: () => string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-run-'));
  writeFileSync(path.join(dir, 'stage.sh'), STAGE_SCRIPT, { mode: 0o755 });
  const recipeFile = path.join(dir, 'recipe.yaml');
  writeFileSync(recipeFile, recipe);
  const calls = () => {
    const file = path.join(dir, 'calls.txt');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  };
  return { dir, recipeFile, calls };
}

// A fixture maker for one test file: every fixture it makes is removed after the file's tests.
export function useFixtures(): (recipe?: string) => ReturnType<typeof makeFixture> {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (recipe) => {
    const f = makeFixture(recipe);
    dirs.push(f.dir);
    return f;
  };
}
