import { readdirSync } from 'node:fs';
import { EVOLVE_STAGES } from '../../src/recipe/stage-names.ts';

// The stage folders of one iteration folder, which also holds provenance.json, artifacts.json and store/.
export function stageFolders(iterationDir: string): string[] {
  return readdirSync(iterationDir).filter((name) => (EVOLVE_STAGES as readonly string[]).includes(name));
}
