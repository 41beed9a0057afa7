import type { Recipe } from '../recipe/types.ts';
import { openBackend } from './open-backend.ts';

// Checks the store can be opened (HF_TOKEN set and shaped like a token, the endpoint a URL) before a run folder is
// made, so a missing token fails in a second with exit 8 and leaves nothing behind. Opening touches no disk or network.
export function checkStoreSettings(recipe: Recipe, env: NodeJS.ProcessEnv): void {
  openBackend(recipe.store, '/nonexistent-loop-home', { env, sleep: async () => undefined });
}
