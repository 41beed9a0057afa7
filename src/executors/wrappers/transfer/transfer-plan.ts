import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StageJob } from '../../executor.ts';
import { isUrl } from '../../../recipe/names.ts';
import { remotePath } from './remote-path.ts';

// What goes to a host without a shared filesystem before an attempt, and where things are there.
export interface TransferPlan {
  workdir: string;
  /** Local roots whose occurrences in the command and environment are rewritten to their copies. */
  roots: string[];
  /** The recipe folder: scripts and the stage's working directory. Sent whole, except `excludes`. */
  recipeDir: string;
  /** Folders inside the recipe folder that are never sent: the loop home holding this run, when it lies there. */
  excludes: string[];
  /** Recipe inputs outside the recipe folder that the command or environment names. */
  inputs: string[];
  /** Earlier stages' output folders (RUN/iterations/N/STAGE/out, RUN/rl/STAGE/out) that the command or environment names. */
  outputs: string[];
  /** The attempt's own output folder, emptied on the host before it starts and copied back after it. */
  out: string;
  /** The attempt's control prefix on the controller (attempt-N in the stage folder). */
  prefix: string;
}

// Decides, from the resolved command, environment and recipe inputs, exactly what an attempt needs on the host.
export function transferPlan(job: StageJob, workdir: string): TransferPlan {
  const runDir = required(job, 'LOOP_RUN_DIR');
  const recipeDir = required(job, 'LOOP_RECIPE_DIR');
  const out = required(job, 'LOOP_OUT');
  if (!job.controlPrefix) throw new TypeError('a job on a host without a shared filesystem needs job.controlPrefix');
  const texts = [...job.argv, ...Object.values(job.env)];
  const named = (p: string) => texts.some((text) => text.includes(p));
  const localInputs = Object.values(job.inputs ?? {}).filter((value) => !isUrl(value) && path.isAbsolute(value));
  const inputs = localInputs.filter((p) => !inside(p, recipeDir) && named(p) && existsSync(p));
  const outputs = new Set<string>();
  const escapedRun = runDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${escapedRun}/((?:iterations/\\d+|rl)/[^/\\s'"=:,]+/out)(?=$|[/\\s'"=:,])`, 'g');
  for (const text of texts) {
    for (const match of text.matchAll(pattern)) {
      const folder = path.join(runDir, match[1]!);
      if (folder !== out && existsSync(folder)) outputs.add(folder);
    }
  }
  const home = path.dirname(path.dirname(runDir));
  return {
    workdir,
    roots: [runDir, recipeDir, ...localInputs],
    recipeDir,
    excludes: inside(home, recipeDir) ? [home] : inside(runDir, recipeDir) ? [runDir] : [],
    inputs,
    outputs: [...outputs].sort(),
    out,
    prefix: job.controlPrefix,
  };
}

// The host's paths of the attempt's files.
export function remoteFiles(plan: TransferPlan): { prefix: string; logFile: string; out: string; stageDir: string } {
  const prefix = remotePath(plan.workdir, plan.prefix);
  return { prefix, logFile: `${prefix}.log`, out: remotePath(plan.workdir, plan.out), stageDir: path.posix.dirname(prefix) };
}

// Whether `child` is `parent` or lies inside it.
function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

// A LOOP_* variable every stage job carries (run-stage sets them).
function required(job: StageJob, name: string): string {
  const value = job.env[name];
  if (!value) throw new TypeError(`a job on a host without a shared filesystem needs ${name} in job.env`);
  return value;
}
