import path from 'node:path';

// A shard's own folder inside its stage's: shards/K holds its out/, log.txt and attempt-N.{starts,exit} files.
export function shardDir(stageDir: string, index: number): string {
  return path.join(stageDir, 'shards', String(index));
}

// The shard logs as one sbatch --output pattern: Slurm puts each task's index where %a stands.
export function shardLogPattern(stageDir: string): string {
  return path.join(stageDir, 'shards', '%a', 'log.txt');
}
