import type { CliIO } from '../io.ts';
import { EXIT } from '../../errors/exit-codes.ts';

type Subcommand = (argv: string[], io: CliIO) => Promise<number>;

// The built-in data steps; each lives in ./data/NAME.ts and exports `dataSubcommand`. They load on first use.
const SUBCOMMANDS: Record<string, string> = {
  grade: 'extract final answers and judge them against the references',
  select: 'rejection sampling: top-k correct (labeled) or RM-weighted vote (unlabeled) responses per query',
  vote: 'maj@k, rm@k and RM-weighted-vote accuracy of sampled responses, as JSON',
  'rm-data': 'listwise groups (or --pairs) for reward-model training',
  'rl-filter': 'keep RL queries whose count of correct responses is within [min, max]',
  reward: 'add the shaped reward sigmoid(alpha · rm) + (correct − 1)',
  decontaminate: 'drop training items that overlap test sets (n-gram and LCS)',
  dedup: 'drop near-duplicate items (MinHash-LSH)',
};

export const dataHelp = `Usage: loop data COMMAND [options]

The CPU steps between GPU jobs, on JSONL files (one JSON object a line; unknown fields pass through).
Docs: docs/data.md

Commands:
${Object.entries(SUBCOMMANDS)
  .map(([name, summary]) => `  ${name.padEnd(14)} ${summary}`)
  .join('\n')}

Run \`loop data COMMAND --help\` for a command's options.`;

// `loop data COMMAND …`: dispatches to one data step.
export async function dataCommand(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.print(dataHelp);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!(name in SUBCOMMANDS)) {
    io.error(`loop: unknown data command "${name}"; commands: ${Object.keys(SUBCOMMANDS).join(', ')} (see \`loop data --help\`)`);
    return EXIT.usage;
  }
  const module = (await import(`./data/${name}.ts`)) as { dataSubcommand: Subcommand };
  return module.dataSubcommand(rest, io);
}
