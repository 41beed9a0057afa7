// How files travel between the controller and a host without a shared filesystem: rsync when both ends have it,
// else tar streamed over ssh. Both keep paths (the host's copy of /a/b is WORKDIR/a/b) and skip unchanged files.
export interface Copier {
  readonly tool: 'rsync' | 'tar';
  /**
   * Sends local files or folders to their mirrored paths under the host's working directory; folders inside
   * `excludes` stay behind unless named themselves. `prepare`, a shell command, runs on the host first (in the same
   * connection where the tool allows).
   */
  push(paths: string[], excludes: string[], prepare: string): Promise<CopyResult>;
  /** Makes a local folder hold exactly the files of a folder on the host (created if missing). */
  pull(remoteDir: string, localDir: string): Promise<CopyResult>;
}

// A copy that failed is data with a sentence, like a stage outcome.
export type CopyResult = { ok: true } | { ok: false; error: string };

// The last lines of a tool's stderr, enough to say why a copy failed without flooding the stage log.
export function lastLines(text: string, lines = 3): string {
  return text.trim().split('\n').slice(-lines).join(' / ');
}
