// Regenerates recipes/recipe.schema.json from the zod schema (`npm run schema`); a test fails when they differ.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recipeJsonSchema } from '../src/recipe/json-schema.ts';

const target = fileURLToPath(new URL('../recipes/recipe.schema.json', import.meta.url));
writeFileSync(target, recipeJsonSchema());
console.log(`wrote ${target}`);
