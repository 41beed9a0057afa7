import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';
import { createRun } from '../../src/run-folder/create-run.ts';
import { startController } from '../../src/engine/controller.ts';
import { getExecutor } from '../../src/executors/registry.ts';
import { readRunState } from '../../src/run-folder/run-state.ts';
import { RunWriteError } from '../../src/run-folder/run-write-error.ts';
import { exitCodeFor, EXIT } from '../../src/errors/exit-codes.ts';
import { useFixtures } from '../helpers/fixture-run.ts';

const fixture = useFixtures();

// Issue 20, item 3. A real ENOSPC from the kernel, without root: the temporary file state.json is written through is
// made a link to /dev/full (every write to it fails with "no space left on device") once the run is in sample_rm.
describe('no space left while writing the run state', () => {
  it('is a one-line RunWriteError naming state.json; the run is left failed and resumes to the end', async () => {
    const f = fixture();
    const home = path.join(f.dir, '.loop');
    const recipe = loadRecipe(f.recipeFile, { checkInputs: true });
    const deps = { executorFor: getExecutor, now: () => new Date(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
    const { name, paths } = createRun(home, recipe, readFileSync(f.recipeFile, 'utf8'));
    const tmp = path.join(path.dirname(paths.state), `.state.json.${process.pid}.tmp`);
    const controller = startController({
      name,
      paths,
      recipe,
      deps,
      onTransition: (event) => {
        if (event.to === 'sample_rm' && !existsSync(tmp)) symlinkSync('/dev/full', tmp);
      },
    });
    const error = await controller.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunWriteError);
    const e = error as RunWriteError;
    expect(e.code).toBe('E_RUN_WRITE');
    expect(exitCodeFor(e.code)).toBe(EXIT.runWrite);
    expect(e.message).toMatch(
      new RegExp(
        `^cannot write ${paths.state.replace(/[.]/g, '\\.')} \\(no space left; [\\d.]+ [KMGT]?i?B free there\\): ` +
          `the run is left failed and resumable; free some space, then \`loop resume ${name}\`$`,
      ),
    );
    expect(e.message).not.toContain('\n');
    // The failed write removed its temporary file (here the link), so recording the failure could go through.
    expect(existsSync(tmp)).toBe(false);
    const left = readRunState(paths.state);
    expect(left.status).toBe('failed');
    expect(left.controller).toBeNull();
    expect(left.error?.message).toBe(e.message);

    const resumed = startController({ name, paths, recipe, deps, snapshot: left.snapshot, createdAt: left.createdAt });
    const final = await resumed.done;
    expect(final.status).toBe('succeeded');
    expect(final.stopReason).toBe('reached max_iterations 2');
  });
});
