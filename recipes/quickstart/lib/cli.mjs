// The scripts' entry point and command line: usage errors (exit 2), `--flag value` parsing, input files.
import { existsSync } from 'node:fs';

// A bad command line: the entry point prints it on stderr and exits 2.
export class UsageError extends Error {}

// Runs a script's main function: usage errors exit 2, anything else exits 1, with a one-line message.
export function runMain(name, usage, fn) {
  try {
    fn(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${name}: ${err.message}\nusage: ${usage}\n`);
      process.exit(2);
    }
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

// Parses `--flag value` pairs against a spec {flag: {type, required, repeat, choices, default}}.
// type is 'string' | 'int' | 'number' | 'choice'; repeatable flags collect into arrays.
export function parseArgs(argv, spec) {
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const tok = argv[i];
    if (!tok.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(tok)}`);
    const name = tok.slice(2);
    const def = spec[name];
    if (!def) throw new UsageError(`unknown option --${name}`);
    if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
    const raw = argv[++i];
    const value = convert(name, def, raw);
    if (def.repeat) (out[name] ??= []).push(value);
    else if (name in out) throw new UsageError(`--${name} given twice`);
    else out[name] = value;
  }
  for (const [name, def] of Object.entries(spec)) {
    if (name in out) continue;
    if (def.default !== undefined) out[name] = def.default;
    else if (def.required !== false) throw new UsageError(`missing --${name}`);
  }
  return out;
}

// Converts one option value, naming the option and echoing the bad value when it does not fit.
function convert(name, def, raw) {
  switch (def.type ?? 'string') {
    case 'string':
      if (raw === '') throw new UsageError(`--${name} must not be empty`);
      return raw;
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(raw)}`);
      const v = Number(raw);
      if (def.min !== undefined && v < def.min) throw new UsageError(`--${name} must be >= ${def.min}, got ${raw}`);
      return v;
    }
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(raw)}`);
      return v;
    }
    case 'choice':
      if (!def.choices.includes(raw)) {
        throw new UsageError(`--${name} must be one of ${def.choices.join(', ')}, got ${JSON.stringify(raw)}`);
      }
      return raw;
    default:
      throw new Error(`bad spec type for --${name}`);
  }
}

// Fails with a usage error when an input file named on the command line does not exist.
export function requireFile(flag, path) {
  if (!existsSync(path)) throw new UsageError(`--${flag}: no such file ${path}`);
  return path;
}
