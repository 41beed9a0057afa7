import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';
import { stageFolders } from '../helpers/stage-folders.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const root = mkdtempSync(path.join(tmpdir(), 'loop-chaos-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A small seeded generator, so the moments of the kills are the same on every run of the test.
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface StageOutcome {
  metrics: Record<string, number>;
  outputs: Record<string, string>;
}

// Every stage's accepted metrics and output hashes, keyed "iteration/stage".
function outcomes(runDir: string): Record<string, StageOutcome> {
  const result: Record<string, StageOutcome> = {};
  const iterations = path.join(runDir, 'iterations');
  for (const it of readdirSync(iterations)) {
    for (const stage of stageFolders(path.join(iterations, it))) {
      const record = JSON.parse(readFileSync(path.join(iterations, it, stage, 'status.json'), 'utf8'));
      expect(record.status, `${it}/${stage}`).toBe('succeeded');
      const outputs = Object.fromEntries(
        Object.entries(record.outputs as Record<string, { sha256: string }>).map(([k, v]) => [k, v.sha256]),
      );
      result[`${it}/${stage}`] = { metrics: record.metrics, outputs };
    }
  }
  return result;
}

// How many times each stage's process really started (the wrapper appends to attempt-N.starts at each start).
function starts(runDir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const iterations = path.join(runDir, 'iterations');
  for (const it of readdirSync(iterations)) {
    for (const stage of stageFolders(path.join(iterations, it))) {
      const dir = path.join(iterations, it, stage);
      counts[`${it}/${stage}`] = readdirSync(dir)
        .filter((f) => f.endsWith('.starts'))
        .reduce((n, f) => n + readFileSync(path.join(dir, f), 'utf8').trim().split('\n').length, 0);
    }
  }
  return counts;
}

function readState(
  runDir: string,
): { status: string; iteration: number; stage: string | null; controller?: { pid: number } | null } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

describe('crash safety (chaos)', () => {
  it('kill -9 of the controller at 24 seeded moments across every stage, and of stage processes: same outputs, no finished stage rerun', {
    timeout: 300_000,
  }, async () => {
    const reference = path.join(root, 'reference');
    expect(runCli(['run', RECIPE, '--name', 'c', '--home', reference], { cwd: root, timeoutMs: 120_000 }).code).toBe(0);
    const expected = outcomes(path.join(reference, 'runs/c'));

    const home = path.join(root, 'chaos');
    const runDir = path.join(home, 'runs/c');
    const random = mulberry32(20261124);
    const killedIn = new Set<string>();
    const stageKills = new Set<string>();
    let kills = 0;
    const rounds: string[] = [];
    for (let round = 0; round < 60; round++) {
      const args = round === 0 ? ['run', RECIPE, '--name', 'c', '--home', home] : ['resume', 'c', '--home', home];
      const child = spawn(process.execPath, [LOOP_BIN, ...args], {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let done = false;
      void exited.then(() => (done = true));
      if (kills < 24) {
        // Wait until this controller has taken the run and started a stage process (the wrapper appended to the
        // stage's attempt-N.starts since this round began: taking the run, re-attaching, recording provenance and
        // publishing can take longer than the kill window), then a seeded delay, then kill -9 it.
        const roundStart = Date.now();
        const ours = () => {
          const state = readState(runDir);
          if (state?.status !== 'running' || state.controller?.pid !== child.pid || !state.stage) return false;
          const dir = path.join(runDir, 'iterations', String(state.iteration), state.stage);
          if (!existsSync(dir)) return false;
          return readdirSync(dir).some((f) => f.endsWith('.starts') && statSync(path.join(dir, f)).mtimeMs >= roundStart);
        };
        while (!done && !ours()) await sleep(5);
        await sleep(random() * 150);
        const state = readState(runDir);
        if (!done && state?.status === 'running') {
          // Now and then kill the stage's own process group instead: the stage fails and is rerun on resume.
          // When the stage has just ended there is nothing to kill, and the controller is killed as usual.
          const pidFile = state.stage ? path.join(runDir, 'iterations', String(state.iteration), state.stage, 'attempt-1.starts') : '';
          let stageKilled = false;
          if (kills % 8 === 7 && pidFile && existsSync(pidFile)) {
            try {
              process.kill(-Number(readFileSync(pidFile, 'utf8').trim().split('\n').at(-1)), 'SIGKILL');
              stageKills.add(`${state.iteration}/${state.stage}`);
              stageKilled = true;
            } catch {
              // the stage had just ended
            }
          }
          if (!stageKilled) {
            child.kill('SIGKILL');
            killedIn.add(state.stage ?? 'between stages');
          }
          kills += 1;
        }
      }
      const code = await exited;
      rounds.push(`round ${round} (${args[0]}): exit ${code}; ${output.trim().split('\n').slice(-3).join(' | ')}`);
      if (readState(runDir)?.status === 'succeeded') break;
    }
    expect(kills, rounds.join('\n')).toBeGreaterThanOrEqual(24);
    expect(killedIn.size, [...killedIn].join(' ')).toBeGreaterThanOrEqual(6);
    expect(readState(runDir)?.status).toBe('succeeded');
    expect(outcomes(runDir)).toEqual(expected);
    for (const [stage, count] of Object.entries(starts(runDir))) {
      // A stage whose own process was killed ran again; every other stage ran exactly once.
      if (stageKills.has(stage)) expect(count, stage).toBeLessThanOrEqual(2);
      else expect(count, stage).toBe(1);
    }
  });
});
