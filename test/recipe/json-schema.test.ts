import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recipeJsonSchema } from '../../src/recipe/json-schema.ts';
import { recipeSchema, rlStagesSchema, stagesSchema } from '../../src/recipe/schema.ts';
import { EVOLVE_STAGES, OPTIONAL_RL_STAGES, OPTIONAL_STAGES, RL_STAGES } from '../../src/recipe/stage-names.ts';

describe('recipes/recipe.schema.json', () => {
  it('is exactly what the zod schema generates (run `npm run schema` after changing the schema)', () => {
    const committed = readFileSync(new URL('../../recipes/recipe.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(recipeJsonSchema());
  });

  it('lists every evolve stage, requiring all but the optional ones', () => {
    const schema = JSON.parse(recipeJsonSchema());
    const stages = schema.properties.stages;
    expect(Object.keys(stages.properties)).toEqual(Object.keys(stagesSchema.shape));
    expect([...Object.keys(stagesSchema.shape)].sort()).toEqual([...EVOLVE_STAGES].sort());
    expect(stages.required.sort()).toEqual(EVOLVE_STAGES.filter((s) => !OPTIONAL_STAGES.includes(s)).sort());
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'loop', 'stages', 'until']));
    expect(recipeSchema.shape.stages).toBe(stagesSchema);
  });

  it('lists every RL stage under the optional rl section, requiring all but the optional ones', () => {
    const schema = JSON.parse(recipeJsonSchema());
    expect(schema.required).not.toContain('rl');
    const rl = schema.$defs?.rl ?? schema.properties.rl;
    const stages = rl.properties.stages;
    expect(Object.keys(stages.properties)).toEqual([...RL_STAGES]);
    expect([...Object.keys(rlStagesSchema.shape)]).toEqual([...RL_STAGES]);
    expect(stages.required.sort()).toEqual(RL_STAGES.filter((s) => !OPTIONAL_RL_STAGES.includes(s)).sort());
  });
});
