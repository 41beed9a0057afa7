// One job as `scontrol show job -o ID` prints it (accounting off) or as sacct reports it (accounting on).
export interface SlurmJobInfo {
  id: string;
  name: string;
  state: string;
  /** From ExitCode=code:signal (the batch script's). */
  exitCode: number;
  signal: number;
  restarts: number;
  reason: string;
}

// Parses one line of `scontrol show job -o`: space-separated KEY=VALUE fields. Values holding spaces are cut
// at the first one, which none of the fields read here does.
export function parseScontrolJob(line: string): SlurmJobInfo | undefined {
  const fields = new Map<string, string>();
  for (const match of line.matchAll(/(?:^|\s)([A-Za-z:/]+)=(\S*)/g)) {
    if (!fields.has(match[1]!)) fields.set(match[1]!, match[2]!);
  }
  const id = fields.get('JobId');
  const state = fields.get('JobState');
  if (id === undefined || state === undefined) return undefined;
  const [code, signal] = (fields.get('ExitCode') ?? '0:0').split(':').map((n) => Number.parseInt(n, 10));
  return {
    id,
    name: fields.get('JobName') ?? '',
    state,
    exitCode: Number.isFinite(code) ? code! : 0,
    signal: Number.isFinite(signal) ? signal! : 0,
    restarts: Number.parseInt(fields.get('Restarts') ?? '0', 10) || 0,
    reason: fields.get('Reason') ?? '',
  };
}

// Parses `sacct -j ID -X -n -P -o JobID,JobName,State,ExitCode` (where accounting is on): "ID|NAME|STATE|code:signal".
// A state such as "CANCELLED by 0" keeps only its first word.
export function parseSacctJob(line: string): SlurmJobInfo | undefined {
  const [id, name, state, exit] = line.trim().split('|');
  if (!id || !state) return undefined;
  const [code, signal] = (exit ?? '0:0').split(':').map((n) => Number.parseInt(n, 10));
  return {
    id,
    name: name ?? '',
    state: state.split(' ')[0]!,
    exitCode: Number.isFinite(code) ? code! : 0,
    signal: Number.isFinite(signal) ? signal! : 0,
    restarts: 0,
    reason: '',
  };
}
