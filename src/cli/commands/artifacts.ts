import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { listArtifacts, type ArtifactRow } from '../../store/list-artifacts.ts';
import { table } from '../output/table.ts';
import type { Style } from '../output/style.ts';

export const artifactsHelp = `Usage: loop artifacts NAME [--iteration N] [--json] [--home DIR]

Lists every artifact a run published: iteration, stage, output, path in its repo, size, sha256 and
location (hf://NAMESPACE/REPO@iter-N/PATH on the Hub, the object's file in the local store). Outputs of
finished stages still waiting for upload show as "pending". Reads the run folder only: no network.

Options:
  --iteration N  only iteration N
  --json         print the rows as JSON (fields in docs/reference/cli/artifacts.md)
  --home DIR     the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help     show this help`;

// `loop artifacts NAME`: parse, list from the run's journals, print.
export async function artifactsCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('artifacts', argv, {
    ...HELP_FLAG,
    ...HOME_FLAG,
    ...JSON_FLAG,
    iteration: { type: 'string' },
  });
  if (values.help) return (io.print(artifactsHelp), 0);
  if (positionals.length !== 1) throw new UsageError('loop artifacts needs one run name; `loop ls` lists the runs');
  let iteration: number | undefined;
  if (values.iteration !== undefined) {
    if (!/^\d+$/.test(values.iteration))
      throw new UsageError(`--iteration "${values.iteration}" is not an iteration number; write e.g. --iteration 2`);
    iteration = Number(values.iteration);
  }
  const rows = listArtifacts(loopHome(values.home, io.env, io.cwd), positionals[0]!, iteration);
  io.print(values.json ? JSON.stringify(rows, null, 2) : renderArtifacts(rows, io.out));
  return 0;
}

// The human view: one row per file.
export function renderArtifacts(rows: ArtifactRow[], s: Style): string {
  if (rows.length === 0) return 'no artifacts yet';
  const head = ['iter', 'stage', 'output', 'path', 'size', 'sha256', 'location'].map((h) => s.bold(h));
  return table([
    head,
    ...rows.map((r) => [
      String(r.iteration),
      r.stage,
      r.output,
      r.path,
      formatBytes(r.bytes),
      r.sha256.slice(0, 12),
      r.location ?? s.yellow('pending'),
    ]),
  ]);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
