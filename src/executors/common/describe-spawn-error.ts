// Turns the error code Node gives when a program cannot be started into a message that says what is wrong.
export function describeSpawnError(program: string, code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOENT':
      return `program not found: ${program}`;
    case 'EACCES':
      return `program not executable (permission denied): ${program}`;
    default:
      return `could not start ${program}: ${message}`;
  }
}
