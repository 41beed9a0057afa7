// One word for a POSIX shell, whatever it holds: remote commands and batch scripts are shell text, and a stage's
// arguments must reach the program exactly as the recipe gave them.
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

// A command line from an argument list, each argument quoted.
export function shellCommand(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}
