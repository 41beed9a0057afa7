import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { LockHolder, LockState } from './lock-state.ts';

// The claim beside a lock that one controller at a time holds while it removes that lock as stale.
export function takeoverFile(lockFile: string): string {
  return `${lockFile}.takeover`;
}

// Removes a stale lock so that, of several controllers that judged it stale at once, exactly one does, and never a
// live one: the remover first creates `lock.takeover` exclusively, then judges the lock again. While the claim
// exists nobody else deletes or renames `lock` (its dead holder cannot, new controllers only create it when it is
// absent), so the lock it judged is the one it deletes. Nothing is ever renamed away, so there is no moment in which
// a live holder's lock is missing and a newcomer could create a second one.
// Returns 'removed' (create the lock again), 'busy' (another controller is taking it over) or what is there now.
export function takeOverStaleLock(lockFile: string, judge: (file: string) => LockState, me: LockHolder): 'removed' | 'busy' | LockState {
  const claim = takeoverFile(lockFile);
  let fd: number;
  try {
    fd = openSync(claim, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'busy';
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
    fsyncSync(fd);
    const again = judge(lockFile);
    if (again.kind !== 'stale') return again;
    try {
      unlinkSync(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return 'removed';
  } finally {
    closeSync(fd);
    unlinkSync(claim);
  }
}
