import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readIterationStageRecord,
  readStageRecord,
  rlPhaseIteration,
  writeStageRecord,
  type StageRecord,
} from '../../src/run-folder/stage-record.ts';
import { runPaths } from '../../src/run-folder/run-paths.ts';
import { IN_PLACE_MAX_BYTES } from '../../src/fs/write-in-place.ts';

const record = (status: StageRecord['status']): StageRecord => ({
  stage: 'eval',
  iteration: 1,
  status,
  attempt: 1,
  command: ['/bin/true'],
  executor: 'local',
  startedAt: '2026-12-04T00:00:00.000Z',
  exitCode: status === 'running' ? null : 0,
  signal: null,
  metrics: status === 'succeeded' ? { accuracy: 0.5 } : {},
  outputs: {},
  attempts: [],
});

describe('stage records', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'loop-record-'));
    file = path.join(dir, 'status.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites the record in place, a shorter one padded with spaces, and leaves no other file', () => {
    writeStageRecord(file, record('running'), { durable: false });
    const inode = statSync(file).ino;
    expect(readStageRecord(file)?.status).toBe('running');
    writeStageRecord(file, record('succeeded'));
    expect(readStageRecord(file)).toMatchObject({ status: 'succeeded', metrics: { accuracy: 0.5 } });
    const longer = statSync(file).size;
    writeStageRecord(file, record('running'), { durable: false });
    expect(readStageRecord(file)?.status).toBe('running');
    expect(statSync(file)).toMatchObject({ ino: inode, size: longer });
    expect(readFileSync(file, 'utf8').endsWith(' ')).toBe(true);
    expect(readdirSync(dir)).toEqual(['status.json']);
  });

  it('writes a record over one page through a temporary file and a rename, and later small ones the same way', () => {
    const big = { ...record('succeeded'), metrics: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`m${i}`, i])) };
    writeStageRecord(file, record('running'), { durable: false });
    const inode = statSync(file).ino;
    writeStageRecord(file, big);
    expect(statSync(file).ino).not.toBe(inode);
    expect(statSync(file).size).toBeGreaterThan(IN_PLACE_MAX_BYTES);
    expect(Object.keys(readStageRecord(file)?.metrics ?? {})).toHaveLength(300);
    writeStageRecord(file, record('running'), { durable: false });
    expect(readStageRecord(file)?.status).toBe('running');
    expect(readdirSync(dir)).toEqual(['status.json']);
  });

  it('reads an empty or torn record as none: the attempt it was to describe never started', () => {
    writeFileSync(file, '');
    expect(readStageRecord(file)).toBeUndefined();
    writeFileSync(file, '{"stage": "ev');
    expect(readStageRecord(file)).toBeUndefined();
  });
});

describe('the RL phase’s records', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'loop-rl-record-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('name the iteration the phase ran after, for that iteration only', () => {
    const paths = runPaths(home, 'r');
    expect(rlPhaseIteration(paths)).toBeUndefined();
    // rl_sample and rl_grade never ran (a resume after a recipe edit may start the phase further on): rl_filter's
    // record is the first there is.
    const file = paths.stageStatus(0, 'rl_filter');
    mkdirSync(path.dirname(file), { recursive: true });
    writeStageRecord(file, { ...record('succeeded'), stage: 'rl_filter', iteration: 3 }, { durable: false });
    expect(rlPhaseIteration(paths)).toBe(3);
    expect(readIterationStageRecord(paths, 3, 'rl_filter')?.status).toBe('succeeded');
    expect(readIterationStageRecord(paths, 2, 'rl_filter')).toBeUndefined();
  });
});
