import { describe, it, expect } from 'vitest';
import { parseDuration, formatDuration } from '../../src/until/parse-duration.ts';
import { LoopError } from '../../src/errors/loop-error.ts';

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['4h', 14_400],
    ['2d', 172_800],
    ['1h30m', 5_400],
    ['1d2h3m4s', 93_784],
    ['1h 30m', 5_400],
    [' 4H ', 14_400],
    ['1.5h', 5_400],
    ['.5m', 30],
    ['0s', 0],
    ['01:30:00', 5_400],
    ['1:02:03', 3_723],
    ['36:00:00', 129_600],
    ['2-00:00:00', 172_800],
    ['1-12', 129_600],
    ['1-12:30', 131_400],
    ['0-00:00:30', 30],
    [5400, 5_400],
    [0, 0],
    [1.5, 1.5],
  ])('%j is %i seconds', (value, seconds) => {
    expect(parseDuration(value)).toBe(seconds);
  });

  const FORMS =
    'write a number of seconds or a string such as 90s, 15m, 4h, 2d, 1h30m, 01:30:00 (hours:minutes:seconds) ' +
    'or 2-00:00:00 (Slurm days-hours:minutes:seconds)';

  it.each([
    ['', `cannot read "" as a duration; ${FORMS}`],
    ['soon', `cannot read "soon" as a duration; ${FORMS}`],
    ['4 hours', `cannot read "4 hours" as a duration; ${FORMS}`],
    ['30m1h', `cannot read "30m1h" as a duration; ${FORMS}`],
    ['1h1h', `cannot read "1h1h" as a duration; ${FORMS}`],
    ['-5m', `cannot read "-5m" as a duration; ${FORMS}`],
    ['01:60:00', `cannot read "01:60:00" as a duration; ${FORMS}`],
    ['1-24:00:00', `cannot read "1-24:00:00" as a duration; ${FORMS}`],
    ['h', `cannot read "h" as a duration; ${FORMS}`],
    ['90', '"90" has no unit (Slurm would read minutes); write "90s" or "90m", or an unquoted number of seconds'],
    [
      '01:30',
      '"01:30" is ambiguous (Slurm reads it as minutes:seconds); write it with units such as 1h30m, or as hours:minutes:seconds such as ' +
        '01:30:00',
    ],
    [-1, `a duration cannot be -1; ${FORMS}`],
    [NaN, `a duration cannot be NaN; ${FORMS}`],
    [Infinity, `a duration cannot be Infinity; ${FORMS}`],
  ])('rejects %j', (value, message) => {
    let caught: unknown;
    try {
      parseDuration(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LoopError);
    expect(caught).toMatchObject({ code: 'E_RECIPE', message });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [45.9, '45s'],
    [60, '1m'],
    [90, '1m30s'],
    [900, '15m'],
    [3_600, '1h'],
    [10_800, '3h'],
    [10_920, '3h02m'],
    [10_930, '3h02m'],
    [86_399, '23h59m'],
    [86_400, '1d'],
    [100_800, '1d04h'],
    [172_800, '2d'],
    [1_000_000, '11d13h'],
    [-90, '-1m30s'],
  ])('%i seconds is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([45, 90, 900, 5_400, 10_920, 86_400, 100_800])('round-trips %i through parseDuration', (seconds) => {
    expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });
});
