import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// Each stage records when it started and ended (ns) in $WORK/spans.txt and holds for a tenth of a second; eval
// reports accuracy 0.ITERATION+SHIFT. A file hold-STAGE makes that stage wait until the file is gone.
const STAGE = `#!/bin/bash
start=$(date +%s%N)
while [ -f "$WORK/hold-$LOOP_STAGE" ]; do sleep 0.05; done
sleep 0.1
if [ "$LOOP_STAGE" = eval ]; then echo "{\\"accuracy\\": 0.$((LOOP_ITERATION + SHIFT))}" > "$LOOP_METRICS"; fi
echo "$LOOP_RUN $LOOP_ITERATION $LOOP_STAGE $start $(date +%s%N)" >> "$WORK/spans.txt"
`;

function recipe(name: string, shift: number): string {
  const stage = (s: string) =>
    `  ${s}: { command: [bash, "{{ recipe_dir }}/stage.sh"], env: { WORK: "{{ recipe_dir }}", SHIFT: "${shift}" } }`;
  return [
    `name: ${name}`,
    'loop: evolve',
    'stages:',
    ...['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft', 'eval'].map(stage),
    'until: { max_iterations: 1 }',
    '',
  ].join('\n');
}

function workdir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-many-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'stage.sh'), STAGE, { mode: 0o755 });
  writeFileSync(path.join(dir, 'a.yaml'), recipe('a', 3));
  writeFileSync(path.join(dir, 'b.yaml'), recipe('b', 5));
  return dir;
}

type Span = { run: string; start: number; end: number };
function spans(dir: string): Span[] {
  return readFileSync(path.join(dir, 'spans.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [run, , , start, end] = line.split(' ');
      return { run: run!, start: Number(start), end: Number(end) };
    });
}
const overlaps = (all: Span[]) => all.some((x, i) => all.some((y, j) => i < j && x.start < y.end && y.start < x.end));
const status = (cwd: string, name: string) => JSON.parse(runCli(['status', name, '--json'], { cwd }).stdout);

describe('loop run with several recipes: one process, many runs', () => {
  it('drives both runs to success, each with its own metrics; without a limit their stages overlap', () => {
    const dir = workdir();
    const result = runCli(['run', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^a\s+succeeded\s+1\s+eval.accuracy 0.4/m);
    expect(result.stdout).toMatch(/^b\s+succeeded\s+1\s+eval.accuracy 0.6/m);
    expect(result.stderr).toMatch(/^a \[ *[\d.]+s\] iteration 0 · train_sft started$/m);
    expect(status(dir, 'b').iterations.map((it: { metrics: Record<string, number> }) => it.metrics['eval.accuracy'])).toEqual([0.5, 0.6]);
    expect(spans(dir)).toHaveLength(16);
    expect(overlaps(spans(dir))).toBe(true);
  });

  it('--limit local=1 runs one stage at a time across the runs', () => {
    const dir = workdir();
    const result = runCli(['run', 'a.yaml', 'b.yaml', 'a.yaml', '--limit', 'local=1'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^a-2\s+succeeded/m);
    const all = spans(dir);
    expect(all).toHaveLength(24);
    expect(new Set(all.map((s) => s.run))).toEqual(new Set(['a', 'b', 'a-2']));
    expect(overlaps(all)).toBe(false);
  });

  it('--max-parallel 1 runs the runs one after the other', () => {
    const dir = workdir();
    expect(runCli(['run', 'a.yaml', 'b.yaml', '--max-parallel', '1'], { cwd: dir }).code).toBe(0);
    const all = spans(dir);
    const lastOfA = Math.max(...all.filter((s) => s.run === 'a').map((s) => s.end));
    const firstOfB = Math.min(...all.filter((s) => s.run === 'b').map((s) => s.start));
    expect(lastOfA).toBeLessThan(firstOfB);
  });

  it('loop pause NAME pauses that run only; the other finishes; loop resume finishes the paused one', async () => {
    const dir = workdir();
    writeFileSync(path.join(dir, 'hold-sample_rm'), '');
    const child = spawn(process.execPath, [LOOP_BIN, 'run', 'a.yaml', 'b.yaml'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    const deadline = Date.now() + 30_000;
    const stageOf = (name: string) => {
      const shown = runCli(['status', name, '--json'], { cwd: dir });
      return shown.code === 0 ? JSON.parse(shown.stdout).stage : undefined;
    };
    while (!(stageOf('a') === 'sample_rm' && stageOf('b') === 'sample_rm')) {
      if (Date.now() > deadline) throw new Error('the runs never reached sample_rm');
      await sleep(100);
    }
    const pause = runCli(['pause', 'a'], { cwd: dir });
    expect(pause.code, pause.stderr).toBe(0);
    rmSync(path.join(dir, 'hold-sample_rm'));
    expect(await exited).toBe(130);
    expect(status(dir, 'a')).toMatchObject({ status: 'paused', stage: 'train_rm' });
    expect(status(dir, 'b')).toMatchObject({ status: 'succeeded' });
    const resumed = runCli(['resume', 'a'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(status(dir, 'a').status).toBe('succeeded');
  });

  it('refuses a bad limit, --name with several recipes, and a bad recipe before creating any run', () => {
    const dir = workdir();
    expect(runCli(['run', 'a.yaml', 'b.yaml', '--limit', 'gpu=2'], { cwd: dir }).stderr).toContain('--limit "gpu=2" is not KIND=N');
    expect(runCli(['run', 'a.yaml', 'b.yaml', '--name', 'x'], { cwd: dir }).stderr).toContain('--name names one run');
    writeFileSync(path.join(dir, 'bad.yaml'), 'name: bad\nloop: evolve\n');
    const bad = runCli(['run', 'a.yaml', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(runCli(['ls', '--json'], { cwd: dir }).stdout.trim()).toBe('[]');
  });
});
