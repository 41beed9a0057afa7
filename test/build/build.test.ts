import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve('.');
const hook = path.join(root, 'test/support/forbid-typescript-hook.mjs');

// The build (scripts/build.mjs, run by `npm ci` and `npm pack` through `prepare`), into a copy of the package: the
// installed command runs compiled JavaScript, never tsx or a .ts file, and finds its files beside the code.
describe('the build', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-build-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // NODE_OPTIONS, so every Node process loop starts (the stage launcher, workers' hosts) is held to it too.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import ${hook}` };
  delete env.LOOP_FROM_SOURCE;
  const loop = (args: string[], cwd = dir) =>
    spawnSync(process.execPath, [path.join(dir, 'bin/loop.mjs'), ...args], { cwd, env, encoding: 'utf8' });

  // A checkout: its sources, the build script and its TypeScript settings, built in place as `npm ci` does.
  const build = () => spawnSync(process.execPath, [path.join(dir, 'scripts/build.mjs')], { cwd: dir, encoding: 'utf8' });

  it('compiles src/ to dist/ with the files the code reads beside it', () => {
    for (const part of ['bin', 'package.json', 'recipes', 'src', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(path.join(root, part), path.join(dir, part), { recursive: true });
    }
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const built = build();
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    for (const file of ['cli/main.js', 'executors/local/stage-wrapper.sh', 'executors/local/stage-launcher.mjs', 'report/report.css']) {
      expect(existsSync(path.join(dir, 'dist', file)), file).toBe(true);
    }
  });

  it('runs `loop --version` and a whole local run from dist/ without TypeScript', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(loop(['--version']).stdout.trim()).toBe(version);
    const home = path.join(dir, 'home');
    const run = loop(['run', 'recipes/bench/noop.yaml', '--name', 'n', '--set', 'until.max_iterations=1', '--home', home]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/loaded at run time|tsx/);
    const status = loop(['status', 'n', '--json', '--home', home]);
    expect(status.status, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ name: 'n', status: 'succeeded', iteration: 1 });
  });

  it('runs the sources, and says so, once src/ changed after the build (a `git pull` without `npm ci`)', () => {
    const plain: NodeJS.ProcessEnv = { ...env, NODE_OPTIONS: '' };
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    // As git does when it updates a file: the old one removed, a new one written.
    const file = path.join(dir, 'src/cli/main.ts');
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    writeFileSync(file, text.replace(/^/, '// changed by a pull\n'));
    const stale = spawnSync(process.execPath, [path.join(dir, 'bin/loop.mjs'), '--version'], { cwd: dir, env: plain, encoding: 'utf8' });
    expect(stale.stdout.trim()).toBe(version);
    expect(stale.stderr).toMatch(
      /^loop: src\/ changed after dist\/ was built; running the sources \(slower to start; `npm run build` in .* makes dist\/ current\)\n$/,
    );
    // Built again, it runs dist/ alone (the hook fails any TypeScript), with nothing said.
    expect(build().status).toBe(0);
    const fresh = loop(['--version']);
    expect(fresh.stdout.trim()).toBe(version);
    expect(fresh.stderr).toBe('');
  });
});
