import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The folders of src/ in layers, lowest first: a file may import from its own folder, from another folder of its
// layer, or from a lower layer; never from a higher one. docs/design.md says what each folder owns.
const LAYERS: string[][] = [
  ['errors', 'fs', 'process', 'time'],
  ['recipe', 'until'],
  ['machine', 'executors', 'data'],
  ['run-folder', 'provenance', 'lock'],
  ['metrics', 'store', 'tracking'],
  ['engine', 'sweep', 'diff'],
  ['report'],
  ['cli'],
];
const SRC = path.resolve('src');

// src/FOLDER/… is FOLDER, except the pure machine, src/engine/machine/, which the engine and the run folder build on.
function folderOf(file: string): string {
  const [top, second] = path.relative(SRC, file).split(path.sep);
  return top === 'engine' && second === 'machine' ? 'machine' : top!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|mjs)$/.test(name) ? [file] : [];
  });
}

// Every relative import of every file under src/ (type-only ones too: they tie the code together all the same).
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1]!));
    graph.set(file, targets);
  }
  return graph;
}

// The cycles among files (Tarjan's strongly connected components with more than one file, or a file importing itself).
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (stack.includes(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      component.push(path.relative(SRC, member));
      if (member === file) break;
    }
    if (component.length > 1 || graph.get(file)!.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('import directions', () => {
  const graph = importGraph();
  const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer] as const)));

  it('places every folder of src/ in a layer', () => {
    const folders = new Set([...graph.keys()].map(folderOf));
    expect([...folders].filter((folder) => !layerOf.has(folder)).sort()).toEqual([]);
  });

  it('imports only from the same layer or a lower one', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const from = folderOf(file);
        const to = folderOf(target);
        if (layerOf.get(to)! > layerOf.get(from)!) upward.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the machine free of I/O: no node: module in src/engine/machine/', () => {
    const machine = [...graph.keys()].filter((file) => folderOf(file) === 'machine');
    expect(machine.length).toBeGreaterThan(0);
    expect(machine.filter((file) => /from 'node:/.test(readFileSync(file, 'utf8'))).map((file) => path.relative(SRC, file))).toEqual([]);
  });

  it('finds a cycle and an upward import when there is one (the check itself works)', () => {
    const a = path.join(SRC, 'fs', 'a.ts');
    const b = path.join(SRC, 'cli', 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['cli/b.ts', 'fs/a.ts']]);
    expect(layerOf.get(folderOf(b))! > layerOf.get(folderOf(a))!).toBe(true);
  });
});
