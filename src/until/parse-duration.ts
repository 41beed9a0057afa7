import { LoopError } from '../errors/loop-error.ts';

const FORMS =
  'write a number of seconds or a string such as 90s, 15m, 4h, 2d, 1h30m, 01:30:00 (hours:minutes:seconds) ' +
  'or 2-00:00:00 (Slurm days-hours:minutes:seconds)';
const AMOUNT = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const UNITS = new RegExp(`^(?:${AMOUNT}d)?(?:${AMOUNT}h)?(?:${AMOUNT}m)?(?:${AMOUNT}s)?$`);
const CLOCK = /^(\d+):(\d{1,2}):(\d{1,2})$/;
const SLURM_DAYS = /^(\d+)-(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?$/;
const UNIT_SECONDS = [86_400, 3_600, 60, 1] as const;

// Turns a recipe duration (`until.walltime`, `resources.time`) into seconds; a plain number is already seconds.
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new LoopError('E_RECIPE', `a duration cannot be ${value}; ${FORMS}`);
  }
  const text = value.trim().toLowerCase().replace(/\s+/g, '');
  const seconds = unitForm(text) ?? clockForm(text) ?? slurmDayForm(text);
  if (seconds !== undefined) return seconds;
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new LoopError(
      'E_RECIPE',
      `"${value}" has no unit (Slurm would read minutes); write "${text}s" or "${text}m", or an unquoted number of seconds`,
    );
  }
  if (/^\d+:\d+$/.test(text)) {
    throw new LoopError(
      'E_RECIPE',
      `"${value}" is ambiguous (Slurm reads it as minutes:seconds); write it with units such as 1h30m, or as hours:minutes:seconds such ` +
        `as 01:30:00`,
    );
  }
  throw new LoopError('E_RECIPE', `cannot read "${value}" as a duration; ${FORMS}`);
}

// Renders seconds in the largest two units, dropping a zero second unit: 45s, 1m30s, 3h02m, 3h, 1d04h.
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  const total = Math.floor(Math.abs(seconds));
  const [size, unit, smallSize, smallUnit] =
    total >= 86_400
      ? [86_400, 'd', 3_600, 'h']
      : total >= 3_600
        ? [3_600, 'h', 60, 'm']
        : total >= 60
          ? [60, 'm', 1, 's']
          : [1, 's', 0, ''];
  const big = Math.floor(total / size);
  const small = smallSize > 0 ? Math.floor((total % size) / smallSize) : 0;
  return small > 0 ? `${sign}${big}${unit}${String(small).padStart(2, '0')}${smallUnit}` : `${sign}${big}${unit}`;
}

function unitForm(text: string): number | undefined {
  const m = UNITS.exec(text);
  if (!m || text === '') return undefined;
  return UNIT_SECONDS.reduce((sum, size, i) => sum + Number(m[i + 1] ?? 0) * size, 0);
}

function clockForm(text: string): number | undefined {
  const m = CLOCK.exec(text);
  if (!m) return undefined;
  return hms(Number(m[1]), Number(m[2]), Number(m[3]), Infinity);
}

function slurmDayForm(text: string): number | undefined {
  const m = SLURM_DAYS.exec(text);
  if (!m) return undefined;
  const rest = hms(Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0), 24);
  return rest === undefined ? undefined : Number(m[1]) * 86_400 + rest;
}

function hms(hours: number, minutes: number, seconds: number, hourLimit: number): number | undefined {
  if (hours >= hourLimit || minutes >= 60 || seconds >= 60) return undefined;
  return hours * 3_600 + minutes * 60 + seconds;
}
