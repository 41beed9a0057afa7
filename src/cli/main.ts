import { LoopError } from '../errors/loop-error.ts';
import { EXIT, exitCodeFor } from '../errors/exit-codes.ts';
import { RecipeError } from '../recipe/recipe-error.ts';
import { processIO, type CliIO } from './io.ts';

type Command = (argv: string[], io: CliIO) => Promise<number>;

// Commands load on first use, so a quick `loop status` does not pay for the recipe schema, XState and execa.
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  run: { load: async () => (await import('./commands/run.ts')).runCommand, summary: "run a recipe's loop to its stop rule" },
  resume: { load: async () => (await import('./commands/resume.ts')).resumeCommand, summary: 'continue a paused, failed or crashed run' },
  pause: {
    load: async () => (await import('./commands/pause.ts')).pauseCommand,
    summary: 'pause a running run, after its current stage or --now',
  },
  stop: { load: async () => (await import('./commands/stop.ts')).stopCommand, summary: 'end a run for good' },
  status: {
    load: async () => (await import('./commands/status.ts')).statusCommand,
    summary: 'where a run stands, with its metrics per iteration',
  },
  ls: { load: async () => (await import('./commands/ls.ts')).lsCommand, summary: 'list runs' },
  log: { load: async () => (await import('./commands/log.ts')).logCommand, summary: "a run's history: every transition, oldest first" },
  plan: {
    load: async () => (await import('./commands/plan.ts')).planCommand,
    summary: 'validate a recipe and print its stages and commands; run nothing',
  },
  diff: {
    load: async () => (await import('./commands/diff.ts')).diffCommand,
    summary: "compare two iterations, or one run's iterations side by side",
  },
  artifacts: {
    load: async () => (await import('./commands/artifacts.ts')).artifactsCommand,
    summary: 'list the artifacts a run published, with size, hash and location',
  },
  pull: {
    load: async () => (await import('./commands/pull.ts')).pullCommand,
    summary: "download a stage's published outputs of one iteration",
  },
  publish: {
    load: async () => (await import('./commands/publish.ts')).publishCommand,
    summary: "publish a run's finished work to its store again (only what changed)",
  },
  sweep: {
    load: async () => (await import('./commands/sweep.ts')).sweepCommand,
    summary: 'one run per combination of --grid values, driven together; compare with loop diff SWEEP',
  },
  report: {
    load: async () => (await import('./commands/report.ts')).reportCommand,
    summary: "write a self-contained HTML page with a run's charts, curves and timeline",
  },
  data: {
    load: async () => (await import('./commands/data.ts')).dataCommand,
    summary: 'built-in data steps on JSONL: grade, select, vote, rm-data, rl-filter, reward, decontaminate, dedup',
  },
};

export const mainHelp = `loop — iterative SFT ⇄ reward-model self-improvement loops for LLM training

Usage: loop COMMAND [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`loop COMMAND --help\` for a command's options. Docs: docs/README.md`;

// The entry: dispatches to a command and turns every error into a message and an exit code, never a stack trace
// for a user's mistake.
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  // `loop pause` rings a run's controller with SIGUSR1; until a controller listens (drive.ts), the ring must not
  // fall to Node's default for SIGUSR1, which starts the debugger. drive.ts picks up a request left meanwhile.
  if (process.listenerCount('SIGUSR1') === 0) process.on('SIGUSR1', () => undefined);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.print(mainHelp);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.print('0.1.0');
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.error(`loop: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')} (see \`loop --help\`)`);
    return EXIT.usage;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIO): number {
  if (error instanceof RecipeError) {
    for (const issue of error.message.split('\n')) io.error(issue);
    return exitCodeFor(error.code);
  }
  if (error instanceof LoopError) {
    io.error(`loop: ${error.message}`);
    return exitCodeFor(error.code);
  }
  io.error(`loop: internal error: ${(error as Error)?.stack ?? String(error)}`);
  io.error('this is a bug in loop; please report it with the command you ran');
  return EXIT.internal;
}
