import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';

// One test per exit code of docs/reference/exit-codes.md, each through the real `loop` command.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// Every stage writes its artifact (so the store has something to publish) and eval an accuracy; a file fail-STAGE
// fails that stage, a file pause-STAGE makes it ask for its own run's pause (after it ends) with `loop pause`.
const STAGE = `#!/bin/bash
echo x > "$1/artifact"
if [ "$LOOP_STAGE" = eval ]; then echo '{"accuracy": 0.5}' > "$LOOP_METRICS"; fi
if [ -f "$WORK/pause-$LOOP_STAGE" ]; then "${process.execPath}" "${LOOP_BIN}" pause "$LOOP_RUN" --home "$WORK/home"; fi
if [ -f "$WORK/fail-$LOOP_STAGE" ]; then echo "$LOOP_STAGE broke" >&2; exit 3; fi
exit 0
`;

function recipe(name: string): string {
  const stage = (s: string) =>
    `  ${s}: { command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"], outputs: { artifact: artifact }, env: { WORK: "{{ recipe_dir ` +
    `}}" } }`;
  const stages = ['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft', 'eval'].map(stage);
  return [`name: ${name}`, 'loop: evolve', 'stages:', ...stages, 'until: { max_iterations: 0 }', ''].join('\n');
}

// A folder with the stage script, recipes a.yaml and b.yaml, and LOOP_HOME at home/.
function workdir(): { dir: string; loop: (...args: string[]) => ReturnType<typeof runCli> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-exit-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'stage.sh'), STAGE, { mode: 0o755 });
  writeFileSync(path.join(dir, 'a.yaml'), recipe('a'));
  writeFileSync(path.join(dir, 'b.yaml'), recipe('b'));
  mkdirSync(path.join(dir, 'home'));
  return { dir, loop: (...args) => runCli(args, { cwd: dir, env: { LOOP_HOME: path.join(dir, 'home') } }) };
}

// The local store cannot write: a file stands where its folder goes.
function breakStore(dir: string): void {
  writeFileSync(path.join(dir, 'home', 'store'), 'not a folder\n');
}

describe('exit codes', () => {
  it('0: the loop ran to its stop rule', () => {
    const { loop } = workdir();
    expect(loop('run', 'a.yaml').code).toBe(0);
  });

  it('1: a run state of another format version (E_SNAPSHOT)', () => {
    const { dir, loop } = workdir();
    expect(loop('run', 'a.yaml').code).toBe(0);
    const file = path.join(dir, 'home', 'runs', 'a', 'state.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version: 99 }));
    const r = loop('resume', 'a');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/has state format 99/);
  });

  it('2: an unknown flag (E_USAGE)', () => {
    const r = workdir().loop('run', 'a.yaml', '--frobnicate');
    expect(r.code).toBe(2);
  });

  it('3: an invalid recipe (E_RECIPE)', () => {
    const { dir, loop } = workdir();
    writeFileSync(path.join(dir, 'bad.yaml'), 'name: bad\nloop: evolve\nstages: {}\n');
    const r = loop('run', 'bad.yaml');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: stages\./);
  });

  it('4: a stage failed (E_STAGE_FAILED), one run or several', () => {
    const { dir, loop } = workdir();
    writeFileSync(path.join(dir, 'fail-eval'), '');
    const one = loop('run', 'a.yaml');
    expect(one.code).toBe(4);
    expect(one.stderr).toMatch(/stage eval of iteration 0 failed: exited with code 3/);
    expect(loop('run', 'a.yaml', 'b.yaml', '--name', 'x').code).toBe(2);
    rmSync(path.join(dir, 'home', 'runs'), { recursive: true });
    expect(loop('run', 'a.yaml', 'b.yaml').code).toBe(4);
  });

  it('5: no run of that name (E_RUN_NOT_FOUND)', () => {
    expect(workdir().loop('status', 'nope').code).toBe(5);
  });

  it('6: the executor cannot run here (E_EXECUTOR_UNAVAILABLE)', () => {
    const { dir } = workdir();
    const r = runCli(['run', 'a.yaml', '--set', 'executor.kind=slurm'], {
      cwd: dir,
      env: { LOOP_HOME: path.join(dir, 'home'), PATH: '/nonexistent' },
    });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/sbatch is not on PATH/);
  });

  it("7: a data step's input cannot be read (E_DATA)", () => {
    const r = workdir().loop('data', 'grade', '--queries', 'missing.jsonl', '--samples', 'missing.jsonl', '--out', 'graded.jsonl');
    expect(r.code).toBe(7);
  });

  it('8: the store failed (E_STORE), for one run, several runs and a sweep alike', () => {
    const { dir, loop } = workdir();
    breakStore(dir);
    const one = loop('run', 'a.yaml');
    expect(one.code, one.stderr).toBe(8);
    expect(one.stderr).toMatch(/store: publishing \w+ of iteration 0 failed: ENOTDIR/);
    expect(one.stderr).toMatch(/`loop resume a` uploads what is pending/);
    rmSync(path.join(dir, 'home', 'runs'), { recursive: true });
    const many = loop('run', 'a.yaml', 'b.yaml');
    expect(many.code, many.stderr).toBe(8);
    expect(many.stderr).toMatch(/run b failed; the stage's outputs are kept/);
    const sweep = loop('sweep', 'a.yaml', '--grid', 'seed=1,2');
    expect(sweep.code, sweep.stderr).toBe(8);
  });

  it('130: the run paused (here: a stage asks for it with `loop pause`)', () => {
    const { dir, loop } = workdir();
    writeFileSync(path.join(dir, 'pause-train_sft'), '');
    const r = loop('run', 'a.yaml');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/run a is paused; `loop resume a` continues it/);
  });
});
