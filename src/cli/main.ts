import { LoopError } from '../errors/loop-error.ts';
import { EXIT, exitCodeFor } from '../errors/exit-codes.ts';
import { RecipeError } from '../recipe/recipe-error.ts';
import { processIO, type CliIO } from './io.ts';
import { runCommand } from './commands/run.ts';
import { resumeCommand } from './commands/resume.ts';
import { statusCommand } from './commands/status.ts';
import { lsCommand } from './commands/ls.ts';
import { planCommand } from './commands/plan.ts';
import { logCommand } from './commands/log.ts';
import { pauseCommand } from './commands/pause.ts';
import { stopCommand } from './commands/stop.ts';

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  run: { run: runCommand, summary: 'run a recipe\'s loop to its stop rule' },
  resume: { run: resumeCommand, summary: 'continue a paused, failed or crashed run' },
  pause: { run: pauseCommand, summary: 'pause a running run, after its current stage or --now' },
  stop: { run: stopCommand, summary: 'end a run for good' },
  status: { run: statusCommand, summary: 'where a run stands, with its metrics per iteration' },
  ls: { run: lsCommand, summary: 'list runs' },
  log: { run: logCommand, summary: 'a run\'s history: every transition, oldest first' },
  plan: { run: planCommand, summary: 'validate a recipe and print its stages and commands; run nothing' },
};

export const mainHelp = `loop — iterative SFT ⇄ reward-model self-improvement loops for LLM training

Usage: loop COMMAND [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run \`loop COMMAND --help\` for a command's options. Docs: docs/README.md`;

// The entry: dispatches to a command and turns every error into a message and an exit code, never a stack trace
// for a user's mistake.
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
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
    return await command.run(rest, io);
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
