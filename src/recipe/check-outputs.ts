import path from 'node:path';
import type { RawRecipe } from './schema.ts';
import type { RuleIssue } from './check-placeholders.ts';

// Checks declared output paths stay inside the stage's output directory.
export function checkOutputs(raw: RawRecipe): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const sections: Array<[string[], Record<string, { outputs?: Record<string, string> } | undefined>]> = [
    [['stages'], raw.stages as Record<string, { outputs?: Record<string, string> } | undefined>],
    [['rl', 'stages'], (raw.rl?.stages ?? {}) as Record<string, { outputs?: Record<string, string> } | undefined>],
  ];
  for (const [section, stages] of sections)
    for (const [stage, spec] of Object.entries(stages)) {
      for (const [name, file] of Object.entries(spec?.outputs ?? {})) {
        const normalized = path.posix.normalize(file);
        if (path.isAbsolute(file) || normalized === '..' || normalized.startsWith('../')) {
          issues.push({
            path: [...section, stage, 'outputs', name],
            message: `"${file}" leaves the stage's output directory: write a path relative to {{ out }}, e.g. "model" or "data/sft.jsonl"`,
          });
        }
      }
    }
  return issues;
}
