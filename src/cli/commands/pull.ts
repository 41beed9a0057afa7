import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { sleep } from '../../time/sleep.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';

export const pullHelp = `Usage: loop pull NAME@N STAGE DIR [--json] [--home DIR]

Downloads the outputs STAGE published in iteration N of run NAME into DIR, from the commit they were
published in (local store or Hub: the run's store), and checks each file's sha256. For the Hub, HF_TOKEN
and HF_ENDPOINT are read as for \`loop run\`. A path that would land outside DIR is refused.

Example: loop pull q@3 train_sft ./model-iter-3

Options:
  --json      print the files written as JSON
  --home DIR  the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help  show this help

Exit codes: 0, 2 for a bad argument, 5 when no run has that name, 8 when the store fails`;

// `loop pull NAME@N STAGE DIR`: parse, download, print the files written.
export async function pullCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('pull', argv, { ...HELP_FLAG, ...HOME_FLAG, ...JSON_FLAG });
  if (values.help) return (io.print(pullHelp), 0);
  // The heavy parts load only now, so `--help` answers at once (test/cli/help-without-engine.test.ts).
  const { pullArtifacts } = await import('../../store/pull-artifacts.ts');
  if (positionals.length !== 3) throw new UsageError('loop pull needs NAME@N STAGE DIR, e.g. `loop pull q@3 train_sft ./model`');
  const [ref, stage, dir] = positionals as [string, string, string];
  const match = /^(.+)@(\d+)$/.exec(ref);
  if (!match) throw new UsageError(`"${ref}" is not NAME@N: name the run and the iteration, e.g. q@3`);
  const files = await pullArtifacts({
    home: loopHome(values.home, io.env, io.cwd),
    run: match[1]!,
    iteration: Number(match[2]),
    stage,
    dir: dir,
    env: io.env,
    sleep,
    onFile: values.json ? undefined : (file, bytes) => io.error(`pulled ${file} (${bytes} bytes)`),
  });
  if (values.json) io.print(JSON.stringify(files, null, 2));
  return 0;
}
