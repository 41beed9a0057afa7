import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { RunRepos } from './artifact-layout.ts';
import type { StoreBackend } from './store-backend.ts';

// What publishing one run needs: the backend, the run's repos and folder, a clock, a wait, and where to say what
// happened (a line per publish).
export interface PublishContext {
  backend: StoreBackend;
  repos: RunRepos;
  run: string;
  paths: RunPaths;
  recipe: Recipe;
  private: boolean;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  report: (line: string) => void;
  /** Commits made and files sent so far (`loop publish` reports them). */
  tally: { commits: number; files: number };
}

// The journal's note of which store the artifacts went to.
export function storeNote(ctx: PublishContext): { kind: string; where: string } {
  return { kind: ctx.backend.kind, where: ctx.backend.where };
}
