import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

// `loop COMMAND --help` must answer at once: a command's module loads its heavy parts (the engine and XState, the
// executors and execa, the Hub client, simple-git, the computer-algebra engine) only when it runs, with import() inside the command.
const HEAVY_FOLDERS = ['engine', 'executors'].map((folder) => path.resolve('src', folder) + path.sep);
const HEAVY_PACKAGES = ['xstate', 'execa', '@huggingface/hub', 'simple-git', '@cortex-js/compute-engine'];

// What a module imports as it loads (static imports that are not type-only), followed through src/.
function loadedWith(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/^import (?!type )(?:[^'"]*? from )?'([^']+)';/gm)) {
      if (spec!.startsWith('.')) visit(path.resolve(path.dirname(file), spec!));
      else if (!spec!.startsWith('node:')) packages.add(spec!);
    }
    for (const [, spec] of text.matchAll(/^export (?!type )[^'"]*? from '(\.[^']+)';/gm)) visit(path.resolve(path.dirname(file), spec!));
  };
  visit(path.resolve(entry));
  return { files, packages };
}

function commandFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? commandFiles(file) : name.endsWith('.ts') ? [file] : [];
  });
}

describe('help without the engine', () => {
  it.each(['src/cli/main.ts', ...commandFiles('src/cli/commands')])(
    '%s loads no engine, executor, XState, execa, Hub client, simple-git or compute-engine',
    (file) => {
      const { files, packages } = loadedWith(file);
      const heavy = [...files].filter((f) => HEAVY_FOLDERS.some((folder) => f.startsWith(folder))).map((f) => path.relative('src', f));
      expect(heavy).toEqual([]);
      expect([...packages].filter((p) => HEAVY_PACKAGES.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([]);
    },
  );

  it('`loop run --help` prints the help and exits 0', () => {
    const r = runCli(['run', '--help'], { cwd: process.cwd() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: loop run RECIPE/);
  });

  it('`npm run loop -- …` runs the command (it used to print nothing and exit 0)', () => {
    const r = spawnSync('npm', ['run', '--silent', 'loop', '--', 'status', 'no-such-run', '--home', '/nonexistent'], { encoding: 'utf8' });
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/no run named "no-such-run"/);
  });
});
