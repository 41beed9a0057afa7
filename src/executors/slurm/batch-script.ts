import type { StageJob } from '../executor.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';
import { wrapperScript } from '../common/wrapper-script.ts';
import { shellQuote } from '../common/shell-quote.ts';

type SlurmSpec = Extract<ExecutorSpec, { kind: 'slurm' }>;

// The sbatch options of one attempt: its deterministic name, the stage log appended to (requeues keep the earlier
// output), the recipe's cluster options, resources, and a time limit that backs up loop's own (rounded up to minutes).
export function sbatchOptions(job: StageJob, spec: SlurmSpec, name: string): string[] {
  const resources = job.resources;
  const gpus = spec.gpusPerNode ?? resources?.gpus ?? 0;
  const memory = spec.memory ?? resources?.memory;
  const cpus = spec.cpus ?? resources?.cpus;
  return [
    `--job-name=${name}`,
    `--output=${job.remote?.logFile ?? job.logFile}`,
    '--open-mode=append',
    `--chdir=${job.remote?.cwd ?? job.cwd}`,
    ...(spec.partition ? [`--partition=${spec.partition}`] : []),
    ...(spec.account ? [`--account=${spec.account}`] : []),
    ...(spec.qos ? [`--qos=${spec.qos}`] : []),
    ...(spec.nodes ? [`--nodes=${spec.nodes}`] : []),
    ...(gpus > 0 ? [`--gpus-per-node=${gpus}`] : []),
    ...(cpus ? [`--cpus-per-task=${cpus}`] : []),
    ...(memory ? [`--mem=${memory}`] : []),
    ...(job.timeoutSeconds ? [`--time=${Math.ceil(job.timeoutSeconds / 60)}`] : []),
    ...spec.sbatchArgs,
  ];
}

// The batch script kept in the stage folder and given to sbatch: #SBATCH lines, then the stage wrapper's body, so
// the attempt leaves PREFIX.starts and PREFIX.exit like a local one (a requeued job appends a second start).
export function batchScript(job: StageJob, spec: SlurmSpec, name: string, localPrefix: string): string {
  // On a host without a shared filesystem the wrapper's files and the working directory are the copies there.
  const prefix = job.remote?.prefix ?? localPrefix;
  const cwd = job.remote?.cwd ?? job.cwd;
  return [
    '#!/bin/sh',
    ...sbatchOptions(job, spec, name).map((option) => `#SBATCH ${option}`),
    `# Written by loop: ${name}. Its outcome is recorded in ${prefix}.exit.`,
    `echo "=== slurm: job $SLURM_JOB_ID on $(hostname) · restart \${SLURM_RESTART_COUNT:-0}" >&2`,
    `cd ${shellQuote(cwd)} || exit 1`,
    wrapperScript({ prefix, env: job.env, setup: spec.setup, argv: job.argv }),
    '',
  ].join('\n');
}
