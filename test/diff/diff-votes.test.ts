import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffVotes } from '../../src/diff/diff-votes.ts';
import { diffKeptQueries } from '../../src/diff/diff-kept-queries.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-diff-votes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, rows: string[]) => {
  const p = path.join(dir, name);
  writeFileSync(p, rows.join('\n') + '\n');
  return p;
};

describe('diffVotes', () => {
  it('agreement over the queries both sides voted on; answers compare as trimmed text; rows without an id are skipped', () => {
    const left = file('l.jsonl', [
      '{"id":"a","answer":"12"}',
      '{"id":"b","answer":"3"}',
      '{"id":"c","answer":7}',
      '{"answer":"x"}',
      'garbage',
    ]);
    const right = file('r.jsonl', [
      '{"id":"a","answer":" 12 "}',
      '{"id":"b","answer":"4"}',
      '{"id":"c","answer":"7","margin":0.4}',
      '{"id":"d","answer":"1"}',
    ]);
    expect(diffVotes('votes', left, right)).toEqual({ output: 'votes', queries: 3, agree: 2, rate: 0.666667 });
    expect(diffVotes('votes', left, file('none.jsonl', ['{"id":"z","answer":"1"}']))).toEqual({
      output: 'votes',
      queries: 0,
      agree: 0,
      rate: null,
    });
  });
});

describe('diffKeptQueries', () => {
  it('kept queries as sets of ids: added, removed, counts', () => {
    const left = file('kl.jsonl', ['{"id":"q1"}', '{"id":"q2"}', '{"id":"q3"}', '{"id":"q3"}']);
    const right = file('kr.jsonl', ['{"id":"q2","question":"…"}', '{"id":"q4"}', '{"id":5}']);
    expect(diffKeptQueries('queries', left, right)).toEqual({ output: 'queries', left: 3, right: 3, added: 2, removed: 2 });
  });
});
