import { z } from 'zod';
import { recipeSchema } from './schema.ts';

// The JSON Schema editors use to complete and check recipe keys, generated from the same zod schema loop validates with.
export function recipeJsonSchema(): string {
  const schema = z.toJSONSchema(recipeSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const document = {
    $schema: schema.$schema,
    title: 'loop recipe',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
