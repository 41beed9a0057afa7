import { describe, expect, it } from 'vitest';
import { formatArrayIndices, parseArrayIndices } from '../../../src/executors/slurm/array-indices.ts';
import { parseSacctArray, parseScontrolArray } from '../../../src/executors/slurm/parse-array-tasks.ts';

// Lines as `scontrol show job -o 223` printed them on the CI's Slurm 22.05 (shortened after the fields loop reads).
const SCONTROL = [
  'JobId=223 ArrayJobId=223 ArrayTaskId=3 JobName=shardprobe UserId=root(0) JobState=COMPLETED Reason=None Requeue=1 Restarts=0 ' +
    'BatchFlag=1 ExitCode=0:0 RunTime=00:00:02',
  'JobId=226 ArrayJobId=223 ArrayTaskId=2 JobName=shardprobe UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Requeue=1 Restarts=0 ' +
    'BatchFlag=1 ExitCode=3:0 RunTime=00:00:02',
  'JobId=225 ArrayJobId=223 ArrayTaskId=1 JobName=shardprobe UserId=root(0) JobState=RUNNING Reason=None Requeue=1 Restarts=1 ' +
    'BatchFlag=1 ExitCode=0:0 RunTime=00:00:01',
  'JobId=223 ArrayJobId=223 ArrayTaskId=4-7%2 JobName=shardprobe UserId=root(0) JobState=PENDING Reason=JobArrayTaskLimit Requeue=1 ' +
    'Restarts=0 BatchFlag=1 ExitCode=0:0',
  '',
].join('\n');

describe('Slurm array indices', () => {
  it('reads ranges, lists, steps and throttles as sbatch, scontrol and squeue print them', () => {
    expect(parseArrayIndices('0-3')).toEqual([0, 1, 2, 3]);
    expect(parseArrayIndices('1,3,5-6%1')).toEqual([1, 3, 5, 6]);
    expect(parseArrayIndices('[4-7]')).toEqual([4, 5, 6, 7]);
    expect(parseArrayIndices('0-6:3')).toEqual([0, 3, 6]);
    expect(parseArrayIndices('12')).toEqual([12]);
    expect(parseArrayIndices('N/A')).toEqual([]);
  });

  it('writes the --array value: consecutive runs as ranges, a throttle only when it limits', () => {
    expect(formatArrayIndices([0, 1, 2, 3])).toBe('0-3');
    expect(formatArrayIndices([3])).toBe('3');
    expect(formatArrayIndices([5, 1, 3, 4])).toBe('1,3-5');
    expect(formatArrayIndices([0, 1, 2], 2)).toBe('0-2%2');
    expect(formatArrayIndices([0, 1, 2], 3)).toBe('0-2');
    expect(parseArrayIndices(formatArrayIndices([9, 2, 3, 7, 8], 2))).toEqual([2, 3, 7, 8, 9]);
  });
});

describe('array task states', () => {
  it('gives each task of `scontrol show job` its own state, exit code and restarts; pending ranges spread over their indices', () => {
    const tasks = parseScontrolArray(SCONTROL, '223');
    expect([...tasks.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(tasks.get(2)).toMatchObject({ id: '223_2', state: 'FAILED', exitCode: 3, signal: 0, reason: 'NonZeroExitCode' });
    expect(tasks.get(3)).toMatchObject({ id: '223_3', state: 'COMPLETED', exitCode: 0 });
    expect(tasks.get(1)).toMatchObject({ id: '223_1', state: 'RUNNING', restarts: 1 });
    expect(tasks.get(6)).toMatchObject({ id: '223_6', state: 'PENDING', reason: 'JobArrayTaskLimit' });
  });

  it('ignores lines of other arrays and of plain jobs', () => {
    const other =
      'JobId=300 ArrayJobId=299 ArrayTaskId=1 JobName=x JobState=RUNNING ExitCode=0:0\nJobId=223 JobName=y JobState=RUNNING ExitCode=0:0';
    expect(parseScontrolArray(other, '223').size).toBe(0);
  });

  it('reads sacct\'s per-task lines (accounting on), states such as "CANCELLED by 0" cut to their first word', () => {
    const sacct = [
      '223_0|name|COMPLETED|0:0',
      '223_1|name|CANCELLED by 0|0:15',
      '223_2|name|OUT_OF_MEMORY|0:125',
      '223_[3-4]|name|PENDING|0:0',
      '224|name|FAILED|1:0',
    ].join('\n');
    const tasks = parseSacctArray(sacct, '223');
    expect([...tasks.keys()]).toEqual([0, 1, 2, 3, 4]);
    expect(tasks.get(1)).toMatchObject({ id: '223_1', state: 'CANCELLED', signal: 15 });
    expect(tasks.get(2)!.state).toBe('OUT_OF_MEMORY');
    expect(tasks.get(4)).toMatchObject({ id: '223_4', state: 'PENDING' });
  });
});
