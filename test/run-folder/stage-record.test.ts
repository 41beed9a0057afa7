import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStageRecord, writeStageRecord, type StageRecord } from '../../src/run-folder/stage-record.ts';

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

  it('writes a first, non-durable record in place and later ones through a temporary file, leaving none behind', () => {
    writeStageRecord(file, record('running'), { durable: false });
    expect(readStageRecord(file)?.status).toBe('running');
    writeStageRecord(file, record('succeeded'));
    expect(readStageRecord(file)).toMatchObject({ status: 'succeeded', metrics: { accuracy: 0.5 } });
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
