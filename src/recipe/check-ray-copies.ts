import path from 'node:path';
import type { RawExecutor, RawRecipe } from './schema.ts';
import type { RuleIssue } from './check-placeholders.ts';
import type { PathSegment } from './locate.ts';

type RawRay = Extract<RawExecutor, { kind: 'ray' }>;

// A Ray executor's copy options agree with each other: `shared_filesystem: false` needs head_host (the node files
// are copied to over ssh) and an absolute workdir (where the cluster's jobs find them); head_host, head_options and
// workdir mean nothing with a shared filesystem, so they are refused there rather than silently ignored.
export function checkRayCopies(raw: RawRecipe): RuleIssue[] {
  const found: Array<[PathSegment[], RawExecutor | undefined]> = [[['executor'], raw.executor]];
  const sections: Array<[PathSegment[], Record<string, { executor?: RawExecutor } | undefined>]> = [
    [['stages'], raw.stages as Record<string, { executor?: RawExecutor } | undefined>],
    [['rl', 'stages'], (raw.rl?.stages ?? {}) as Record<string, { executor?: RawExecutor } | undefined>],
  ];
  for (const [section, stages] of sections)
    for (const [stage, spec] of Object.entries(stages)) found.push([[...section, stage, 'executor'], spec?.executor]);
  return found.flatMap(([at, executor]) => (executor?.kind === 'ray' ? issuesOf(executor, at) : []));
}

function issuesOf(ray: RawRay, at: PathSegment[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (ray.shared_filesystem !== false) {
    for (const key of ['head_host', 'head_options', 'workdir'] as const) {
      if (ray[key] === undefined) continue;
      issues.push({
        path: [...at, key],
        atKey: true,
        message:
          'is only used with shared_filesystem: false (files copied to the cluster through head_host); remove it, or add ' +
          "shared_filesystem: false to this executor if the cluster does not see this machine's files",
      });
    }
    return issues;
  }
  if (ray.head_host === undefined) {
    issues.push({
      path: [...at, 'shared_filesystem'],
      message:
        'Ray without a shared filesystem needs executor.head_host, the node the files are copied to over ssh (the head node, ' +
        'e.g. head_host: "ubuntu@ray-head")',
    });
  }
  if (ray.workdir === undefined || !path.posix.isAbsolute(ray.workdir) || path.posix.resolve(ray.workdir) === '/') {
    issues.push({
      path: ray.workdir === undefined ? [...at, 'shared_filesystem'] : [...at, 'workdir'],
      message:
        'Ray without a shared filesystem needs executor.workdir, an absolute folder (not /) on head_host that the jobs see at ' +
        'the same path, e.g. workdir: /mnt/cluster/loop',
    });
  }
  return issues;
}
