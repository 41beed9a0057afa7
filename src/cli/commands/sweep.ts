import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { acquireRunLock } from '../../lock/run-lock.ts';
import { parseGrid } from '../../sweep/parse-grid.ts';
import { parseLimits, parseMaxParallel } from '../parse-limits.ts';

export const sweepHelp = `Usage: loop sweep RECIPE --grid PATH=V1,V2... [--grid PATH=A,B]... [--name SWEEP]
                  [--max-parallel N] [--limit KIND=N]... [--set PATH=VALUE]... [--json] [--home DIR]

Creates one run per combination of the grid's values (the recipe with those keys set, like --set),
named from the values (SWEEP.KEY-VALUE.KEY-VALUE), and drives them from this one process.
\`loop diff SWEEP\` then lists each run's last iteration side by side, the best value per metric
marked. Each run is an ordinary run: \`loop status\`, \`loop pause\` and \`loop resume\` take its name.

Options:
  --grid PATH=V1,V2  a recipe key and the values it takes (repeatable; values read as YAML), e.g.
                     --grid vars.top_k=2,4 --grid seed=1,2 makes 4 runs
  --name SWEEP       the sweep's name (default: the recipe's name, made unique)
  --max-parallel N   at most N runs at once (default all); the others start as runs end
  --limit KIND=N     at most N stages on executor KIND (local, slurm, ssh) at once, across the runs
  --set PATH=VALUE   override a recipe key in every run (repeatable)
  --json             print the sweep (name, grid, runs with their statuses) as JSON at the end
  --home DIR         the folder holding runs/ and sweeps/ (default $LOOP_HOME, else ./.loop)
  -h, --help         show this help

Exit codes: 0 every run succeeded, 3 recipe error (no run is created), 4 a stage failed, 130 paused`;

// `loop sweep RECIPE --grid …`: create the sweep's runs, then drive them with the limits.
export async function sweepCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('sweep', argv, {
    ...HELP_FLAG,
    ...HOME_FLAG,
    ...JSON_FLAG,
    grid: { type: 'string', multiple: true },
    name: { type: 'string' },
    set: { type: 'string', multiple: true },
    'max-parallel': { type: 'string' },
    limit: { type: 'string', multiple: true },
  });
  if (values.help) return (io.print(sweepHelp), 0);
  // The heavy parts load only now, so `--help` answers at once (test/cli/help-without-engine.test.ts).
  const { createSweep } = await import('../../sweep/create-sweep.ts');
  const { driveRuns, summarizeMany } = await import('../drive/drive-runs.ts');
  if (positionals.length !== 1)
    throw new UsageError('loop sweep needs one recipe file, e.g. `loop sweep recipes/quickstart.yaml --grid seed=1,2`');
  const grid = parseGrid(values.grid);
  const maxParallel = parseMaxParallel(values['max-parallel']);
  const limits = parseLimits(values.limit);
  const home = loopHome(values.home, io.env, io.cwd);
  const { manifest, runs } = createSweep({ home, file: positionals[0]!, grid, sets: values.set, name: values.name });
  io.error(`sweep ${io.err.bold(manifest.name)}: ${runs.length} runs (${runs.map((r) => r.name).join(', ')})`);
  const locks = runs.map((run) => acquireRunLock(run.paths.root, { command: 'sweep' }));
  try {
    const results = await driveRuns(
      runs.map((r) => ({ home, ...r })),
      io,
      { maxParallel, limits },
    );
    const code = summarizeMany(results, values.json ? { ...io, print: () => undefined } : io);
    if (values.json) {
      const statuses = results.map((r) => ({
        run: r.run.name,
        status: r.state?.status ?? 'not-started',
        iteration: r.state?.iteration ?? null,
      }));
      io.print(JSON.stringify({ sweep: manifest.name, grid: manifest.grid, runs: statuses }, null, 2));
    }
    io.error(`compare the runs with \`loop diff ${manifest.name}\``);
    return code;
  } finally {
    for (const lock of locks) lock.release();
  }
}
