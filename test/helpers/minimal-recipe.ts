// A small valid recipe, as text, for tests to break one line at a time.
export const MINIMAL_RECIPE = `name: mini
loop: evolve
seed: 3
vars:
  k: 2
inputs:
  sft: data/sft.jsonl
stages:
  train_sft:
    command: [python, train.py, --data, "{{ select.data ?? inputs.sft }}", --out, "{{ out }}"]
    outputs: { model: model }
  sample_rm:
    command: [python, sample.py, "{{ train_sft.model }}"]
    outputs: { samples: s.jsonl }
  train_rm:
    command: [python, rm.py, "{{ sample_rm.samples }}"]
    outputs: { model: rm }
  sample_sft:
    command: [python, sample.py, "{{ train_sft.model }}"]
    outputs: { samples: s.jsonl }
  select:
    command: [python, select.py, --k, "{{ vars.k }}", "{{ sample_sft.samples }}", "{{ train_rm.model }}"]
    outputs: { data: sft.jsonl }
  eval:
    command: [python, eval.py, "{{ train_sft.model }}"]
until:
  max_iterations: 3
  metric: eval.accuracy >= 0.9
`;

// The minimal recipe with one line replaced (1-based), or lines inserted after it.
export function withLine(line: number, replacement: string, insert = false): string {
  const lines = MINIMAL_RECIPE.split('\n');
  if (insert) lines.splice(line, 0, replacement);
  else lines[line - 1] = replacement;
  return lines.join('\n');
}
