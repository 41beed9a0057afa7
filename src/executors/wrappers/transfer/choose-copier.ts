import { findProgram } from '../../common/find-program.ts';
import type { Copier } from './copier.ts';
import type { RemoteShell } from './remote-shell.ts';
import { createRsyncCopier } from './rsync-copier.ts';
import { createTarCopier } from './tar-copier.ts';

// rsync when this machine and the host both have it, else tar over ssh (`prefer` forces one, for tests). A host
// that cannot be asked (ssh exits 255) counts as having it: the copy itself then fails, and is tried again.
export async function chooseCopier(shell: RemoteShell, workdir: string, prefer?: 'rsync' | 'tar'): Promise<Copier> {
  if (prefer === 'tar') return createTarCopier(shell, workdir);
  const here = !findProgram('rsync', '/', process.env.PATH).error;
  const asked = here ? (await shell.run('command -v rsync >/dev/null')).exitCode : 1;
  const there = asked === 0 || asked === 255;
  return prefer === 'rsync' || (here && there) ? createRsyncCopier(shell, workdir) : createTarCopier(shell, workdir);
}
