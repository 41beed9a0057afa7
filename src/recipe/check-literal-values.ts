import type { RawRecipe } from './schema.ts';
import type { RuleIssue } from './check-placeholders.ts';
import { namesKnownValues } from './check-placeholders.ts';
import { parseTemplate, placeholderText } from './placeholders.ts';

// Variables and inputs are used as written: a placeholder in their values is never filled in, so a value such as
// "{{ recipe_dir }}/data" would reach a script (or name an input file) with the braces still in it. Only text that
// reads as one of loop's own placeholders is refused; other braces (a prompt template's "{{ question }}") are text.
export function checkLiteralValues(raw: RawRecipe): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const values: Array<['vars' | 'inputs', string, unknown]> = [
    ...Object.entries(raw.vars ?? {}).map(([name, value]): ['vars', string, unknown] => ['vars', name, value]),
    ...Object.entries(raw.inputs ?? {}).map(([name, value]): ['inputs', string, unknown] => ['inputs', name, value]),
  ];
  for (const [section, name, value] of values) {
    if (typeof value !== 'string' || !value.includes('{{')) continue;
    const found = placeholdersIn(value).find((p) => namesKnownValues(raw, p));
    if (!found) continue;
    const text = placeholderText(found);
    issues.push({ path: [section, name], column: found.start, message: `${text}: ${advice(section, name, text)}` });
  }
  return issues;
}

// The well-formed placeholders in a text; none when it does not parse as a template (it is then plain text).
function placeholdersIn(text: string) {
  try {
    return parseTemplate(text).filter((part) => typeof part !== 'string');
  } catch {
    return [];
  }
}

function advice(section: 'vars' | 'inputs', name: string, placeholder: string): string {
  if (section === 'inputs') {
    return (
      'placeholders are not filled in inside inputs: an input is a file that exists before the run, its path absolute or ' +
      'relative to the recipe\'s folder (write "data/sft.jsonl", not "{{ recipe_dir }}/data/sft.jsonl")'
    );
  }
  return (
    'placeholders are not filled in inside vars: a variable reaches the command as written. Put the placeholder in the ' +
    `command beside it, e.g. "${placeholder}/{{ vars.${name} }}"; a path relative to the recipe's folder needs none, as ` +
    'every stage runs there'
  );
}
