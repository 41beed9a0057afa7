import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeWith } from '../../support/optional-dependency.ts';
import { pythonStack, runPython } from '../../support/python-stack.ts';

// The recipes' Python under the CPU lock (recipes/qwen2.5-math/requirements-cpu.lock): every script imports and
// exposes its entry point, the committed tiny model and task are what their generators write, and tiny-qwen.yaml
// runs the GPU recipe's scripts with the same arguments.
const SCRIPTS = path.resolve('recipes/qwen2.5-math');
const tmp = mkdtempSync(path.join(tmpdir(), 'loop-tiny-qwen-scripts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describeWith("the recipes' Python stack (scripts)", pythonStack(), () => {
  it('imports every script of recipes/qwen2.5-math and finds main() in each one that runs as a program', { timeout: 300_000 }, () => {
    const files = readdirSync(SCRIPTS).filter((f) => f.endsWith('.py'));
    const probe = runPython(
      [
        '-c',
        [
          'import importlib, json, sys, pathlib',
          `sys.path.insert(0, ${JSON.stringify(SCRIPTS)})`,
          'found = {}',
          `for f in ${JSON.stringify(files)}:`,
          '    text = pathlib.Path(sys.path[0], f).read_text()',
          '    module = importlib.import_module(f[:-3])',
          '    found[f] = "program" if "__main__" in text else "library"',
          '    if found[f] == "program": assert callable(getattr(module, "main", None)) or "run_with_reward_server" in f, f',
          'print(json.dumps(found))',
        ].join('\n'),
      ],
      { cwd: SCRIPTS },
    );
    expect(probe.code, probe.stderr).toBe(0);
    const found = probe.json();
    expect(Object.keys(found).sort()).toEqual(files.sort());
    for (const program of ['sample.py', 'train_sft.py', 'train_rm.py', 'train_rm_trl.py', 'score.py', 'eval.py', 'train_grpo.py']) {
      expect(found[program]).toBe('program');
    }
  });

  it('make_tiny_task.py and make_tiny_model.py write exactly the committed data and base model', { timeout: 300_000 }, () => {
    const data = path.join(tmp, 'data');
    expect(runPython([path.join(SCRIPTS, 'make_tiny_task.py'), '--out', data]).code).toBe(0);
    const committed = path.resolve('recipes/tiny-qwen/data');
    for (const file of readdirSync(committed)) expect(sha(path.join(data, file)), file).toBe(sha(path.join(committed, file)));
    const base = path.join(tmp, 'base');
    const made = runPython([path.join(SCRIPTS, 'make_tiny_model.py'), '--corpus', path.join(data, 'sft-seed.jsonl'), '--out', base]);
    expect(made.code, made.stderr).toBe(0);
    for (const file of ['config.json', 'tokenizer.json', 'model.safetensors', 'generation_config.json']) {
      expect(sha(path.join(base, file)), file).toBe(sha(path.resolve('recipes/tiny-qwen/base', file)));
    }
  });
});

// What a stage command is once the launcher is taken off: everything from the script on.
function fromScript(command: string[]): string[] {
  const at = command.findIndex((part) => part.endsWith('.py'));
  return command.slice(at).map((part) => part.replace(/\{\{ inputs\.\w+ \}\}/g, '{{ inputs }}'));
}

it("tiny-qwen.yaml runs the GPU recipe's scripts with the same arguments (only vars, resources and launcher differ)", () => {
  type Stages = Record<string, { command: string[] }>;
  const load = (file: string) => parse(readFileSync(path.resolve('recipes', file), 'utf8')) as { stages: Stages; rl: { stages: Stages } };
  const gpu = load('qwen2.5-math.yaml');
  const cpu = load('tiny-qwen.yaml');
  const both = (r: typeof gpu) => ({ ...r.stages, ...r.rl.stages });
  expect(Object.keys(both(cpu)).sort()).toEqual(Object.keys(both(gpu)).sort());
  for (const [name, stage] of Object.entries(both(gpu))) {
    const tiny = both(cpu)[name]!;
    expect(tiny.command[0], name).toBe('{{ vars.python }}');
    // eval's benchmarks are inputs (MATH500 and GSM8K there, the addition set here): their names differ.
    const normalise = (cmd: string[]) => fromScript(cmd).map((part) => part.replace(/^\w+=\{\{ inputs \}\}$/, 'NAME={{ inputs }}'));
    const gpuArgs = normalise(stage.command);
    const tinyArgs = normalise(tiny.command);
    if (name.endsWith('eval')) expect(new Set(tinyArgs), name).toEqual(new Set(gpuArgs));
    else expect(tinyArgs, name).toEqual(gpuArgs);
  }
});
