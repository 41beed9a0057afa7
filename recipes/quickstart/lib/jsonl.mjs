// Files the scripts read and write: JSONL, JSON model files, metrics.json, and rounding for them.
import { readFileSync, writeFileSync, mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Reads a JSONL file into an array of objects (blank lines skipped, bad lines name their line number).
export function readJsonl(path) {
  const rows = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
  });
  return rows;
}

// Writes objects as JSONL, one per line, with a trailing newline (creating the folder if needed).
export function writeJsonl(path, rows) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
}

// Writes one JSON document (a model file), creating the folder if needed.
export function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 1) + '\n');
}

// Writes metrics.json beside an output file; refuses anything but finite numbers so the engine can trust it.
export function writeMetrics(outFile, metrics) {
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`metric ${k} is not a finite number: ${v}`);
  }
  writeFileSync(join(dirname(outFile), 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
}

// Rounds for metrics and printing, so files stay readable and identical across runs.
export function round(x, digits = 4) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// Opens the stage's training-curve stream ($LOOP_CURVES when loop runs the script, else curves.jsonl beside the
// output file) empty; `write({step, …})` appends one line at once, so the curve survives a crash mid-training.
export function openCurves(outFile) {
  const file = process.env.LOOP_CURVES ?? join(dirname(outFile), 'curves.jsonl');
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  return {
    write: (point) => writeSync(fd, JSON.stringify(point) + '\n'),
    close: () => closeSync(fd),
  };
}
