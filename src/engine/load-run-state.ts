import { readFileSync, renameSync, statSync } from 'node:fs';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { readRunState, SnapshotError, writeRunState, type RunState } from '../run-folder/run-state.ts';
import { appendEvent } from '../run-folder/events-log.ts';

// The run's state for a controller about to take it over: read, or — when state.json is corrupt — rebuilt from the
// stage records, the bad file kept beside it and the rebuild recorded in the event log. `warn` tells the user.
// The rebuild (which needs XState) loads only when needed, so reading a healthy state stays quick.
export async function loadRunState(paths: RunPaths, recipe: Recipe, name: string, warn: (message: string) => void): Promise<RunState> {
  try {
    return readRunState(paths.state);
  } catch (error) {
    if (!(error instanceof SnapshotError) || !error.corrupt) throw error;
    // Rebuild first: the unreadable file is moved aside only once a good state can take its place.
    const { rebuildRunState } = await import('./rebuild-run-state.ts');
    const state = rebuildRunState(paths, recipe, name, createdAtOf(paths));
    const kept = `${paths.state}.corrupt-${Date.now()}`;
    renameSync(paths.state, kept);
    writeRunState(paths.state, state);
    appendEvent(paths.events, {
      at: state.updatedAt,
      type: 'rebuilt',
      from: null,
      to: state.status === 'paused' ? 'paused' : 'done',
      iteration: state.iteration,
      stage: state.stage,
      detail: `state.json was unreadable (kept as ${kept}); rebuilt from the stage records`,
    });
    warn(
      `the run state was unreadable (kept as ${kept}); rebuilt it from the stage records: iteration ` +
        `${state.iteration}${state.stage ? `, next stage ${state.stage}` : ''}`,
    );
    return state;
  }
}

// When the run was created: its first event, else the time its recipe was written.
function createdAtOf(paths: RunPaths): string {
  try {
    const first = readFileSync(paths.events, 'utf8').split('\n')[0];
    const at = first ? (JSON.parse(first) as { at?: string }).at : undefined;
    if (at) return at;
  } catch {
    // no usable event log: fall through
  }
  return statSync(paths.recipe).mtime.toISOString();
}
