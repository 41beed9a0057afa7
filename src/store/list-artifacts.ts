import { existsSync, readdirSync } from 'node:fs';
import { RunNotFoundError } from '../errors/loop-error.ts';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { runPaths } from '../run-folder/run-paths.ts';
import { readIterationStageRecord } from '../run-folder/stage-record.ts';
import { readArtifacts } from './artifacts-journal.ts';

// One row of `loop artifacts` (docs/reference/cli/artifacts.md).
export interface ArtifactRow {
  iteration: number;
  stage: string;
  output: string;
  path: string;
  bytes: number;
  sha256: string;
  /** hf://NAMESPACE/REPO@iter-N/PATH, or the object's path in the local store; null while the upload is pending. */
  location: string | null;
  repo: string | null;
  branch: string | null;
  commit: string | null;
}

// Every artifact of a run (or of one iteration), from the run folder's journals: published ones with their
// location, and outputs of finished stages still waiting for upload.
export function listArtifacts(home: string, run: string, iteration?: number): ArtifactRow[] {
  const paths = runPaths(home, run);
  if (!existsSync(paths.recipe)) throw new RunNotFoundError(run, home);
  const recipe = readRunRecipe(paths);
  const indices = existsSync(paths.iterations)
    ? readdirSync(paths.iterations)
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .sort((a, b) => a - b)
    : [];
  const rows: ArtifactRow[] = [];
  for (const index of indices.filter((i) => iteration === undefined || i === iteration)) {
    const journal = readArtifacts(paths, index);
    for (const spec of recipe.stages) {
      const published = journal?.stages[spec.name];
      if (published) {
        for (const f of published.files) {
          rows.push({
            iteration: index,
            stage: spec.name,
            output: f.output,
            path: f.path,
            bytes: f.bytes,
            sha256: f.sha256,
            location: f.location,
            repo: published.repo.id,
            branch: published.branch,
            commit: published.commit,
          });
        }
        continue;
      }
      const record = readIterationStageRecord(paths, index, spec.name);
      if (record?.status !== 'succeeded') continue;
      for (const [output, o] of Object.entries(record.outputs)) {
        rows.push({
          iteration: index,
          stage: spec.name,
          output,
          path: o.path,
          bytes: o.bytes,
          sha256: o.sha256,
          location: null,
          repo: null,
          branch: null,
          commit: null,
        });
      }
    }
  }
  return rows;
}
