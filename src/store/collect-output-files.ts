import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '../fs/sha256-file.ts';
import type { SourceFile } from './store-backend.ts';
import { StoreError } from './store-error.ts';

export interface OutputFile extends SourceFile {
  /** The declared output it belongs to. */
  output: string;
}

// Lists the files of a stage's declared outputs with their repo paths, sizes and sha256s; the files of the output
// `atRoot` (a folder) go under `prefix` without the folder's name. A path that leaves the stage's output folder
// (`..`, absolute, or a symbolic link pointing outside) is refused: nothing of it is published.
export async function collectOutputFiles(
  outDir: string,
  outputs: Record<string, string>,
  prefix: string,
  atRoot?: string,
): Promise<OutputFile[]> {
  const root = realpathSync(outDir);
  const files: OutputFile[] = [];
  for (const [output, rel] of Object.entries(outputs)) {
    const clean = safeRelative(rel, `output ${output}`);
    const target = path.join(outDir, clean);
    for (const file of walk(root, target, clean)) {
      const info = statSync(file.abs);
      const rel = output === atRoot ? file.rel.slice(clean.length + 1) : file.rel;
      files.push({ output, path: `${prefix}${rel}`, file: file.abs, size: info.size, sha256: await sha256File(file.abs) });
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

// A relative POSIX path that stays inside its folder, or a StoreError.
export function safeRelative(rel: string, what: string): string {
  const normalized = path.posix.normalize(rel.replaceAll('\\', '/')).replace(/\/$/, '');
  if (
    path.posix.isAbsolute(normalized) ||
    path.win32.isAbsolute(rel) ||
    normalized === '..' ||
    normalized.startsWith('../') ||
    normalized === '.' ||
    normalized === ''
  ) {
    throw new StoreError(`${what}: "${rel}" leaves its folder; artifact paths must be relative and stay inside it`);
  }
  return normalized;
}

function* walk(root: string, abs: string, rel: string): Generator<{ abs: string; rel: string }> {
  const real = realpathSync(abs);
  if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
    const link = lstatSync(abs).isSymbolicLink() ? ' (a symbolic link)' : '';
    throw new StoreError(
      `${rel}${link} points outside the stage's output folder, to ${real}; refusing to publish it. Copy the file into {{ out }} instead`,
    );
  }
  if (!statSync(real).isDirectory()) return yield { abs, rel };
  for (const name of readdirSync(abs).sort()) yield* walk(root, path.join(abs, name), `${rel}/${name}`);
}
