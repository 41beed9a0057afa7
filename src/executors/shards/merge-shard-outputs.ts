import { cpSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

// What a merge gives back: done, or why the shards' outputs cannot be merged.
export type MergeResult = { ok: true } | { ok: false; reason: string };

// Builds the stage's declared outputs in `out` from its shards' folders, in shard order: a file output is the
// concatenation of every shard's file of that name (a line break added after a part that lacks one, so JSONL and
// text stay one record a line); a folder output holds each shard's folder as shard-00000, shard-00001, … Every merged
// output is written beside its final name and renamed into place, so a crash never leaves a half-merged output, and
// the shards' own folders are only read: merging again after a crash gives the same bytes.
export async function mergeShardOutputs(outputs: Record<string, string>, shardOuts: string[], out: string): Promise<MergeResult> {
  for (const [name, rel] of Object.entries(outputs)) {
    const parts = shardOuts.map((dir) => path.join(dir, rel));
    const kinds = parts.map(kindOf);
    const target = path.join(out, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    const partial = path.join(path.dirname(target), `.${path.basename(target)}.merging-${process.pid}`);
    rmSync(partial, { recursive: true, force: true });
    if (kinds.every((kind) => kind === 'file')) {
      await concatenate(parts, partial);
    } else if (kinds.every((kind) => kind === 'folder')) {
      parts.forEach((part, index) => cpSync(part, path.join(partial, shardFolderName(index)), { recursive: true, verbatimSymlinks: true }));
    } else {
      const missing = kinds.map((kind, index) => (kind === 'missing' ? index : -1)).filter((index) => index >= 0);
      const reason =
        missing.length > 0 ? `shard ${missing.join(', ')} wrote no ${rel}` : `some shards wrote ${rel} as a file and others as a folder`;
      return { ok: false, reason: `cannot merge output ${name}: ${reason}` };
    }
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  return { ok: true };
}

// The folder a shard's part of a folder output gets inside the merged folder; zero-padded so names sort in shard order.
export function shardFolderName(index: number): string {
  return `shard-${String(index).padStart(5, '0')}`;
}

// What a shard left at an output's path.
function kindOf(file: string): 'file' | 'folder' | 'missing' {
  try {
    return statSync(file).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

// Streams the parts into one file (1 MiB at a time, never a whole part in memory), then flushes it to disk.
async function concatenate(parts: string[], target: string): Promise<void> {
  const output = await open(target, 'w');
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (const part of parts) {
      const input = await open(part, 'r');
      let last = -1;
      try {
        for (;;) {
          const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          await output.write(buffer, 0, bytesRead);
          last = buffer[bytesRead - 1]!;
        }
      } finally {
        await input.close();
      }
      if (last !== -1 && last !== 0x0a) await output.write('\n');
    }
    await output.sync();
  } finally {
    await output.close();
  }
}
