// Signals every process in the stage's group (the child leads it, thanks to `detached`), so grandchildren die with it.
// Returns false when nothing could be signaled (typically ESRCH: the group is already gone); never throws,
// because it runs from timers and abort listeners where an exception would crash the CLI.
export function killProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
