import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { commitId, gitBlobOid, lfsFile, type HubRepo } from './hub-state.ts';
import type { LfsObjects } from './lfs-objects.ts';
import { sendError, sendJson } from './http-helpers.ts';

interface NdjsonLine {
  key: 'header' | 'file' | 'lfsFile' | 'deletedFile' | 'deletedFolder';
  value: Record<string, unknown>;
}

// `POST /api/{type}s/{repo}/commit/{branch}`: applies an NDJSON commit all at once or not at all: every line is
// checked (LFS objects uploaded, parent commit current) before the branch moves.
export function applyCommit(repo: HubRepo, branch: string, body: Buffer, base: string, res: ServerResponse, now: Date): void {
  const head = repo.branches.get(branch);
  if (!head) return sendError(res, 404, `Invalid rev id: ${branch}`, 'RevisionNotFound');
  let lines: NdjsonLine[];
  try {
    lines = body
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as NdjsonLine);
  } catch {
    return sendError(res, 400, 'Invalid NDJSON body');
  }
  const header = lines.find((l) => l.key === 'header')?.value;
  if (!header || typeof header.summary !== 'string') return sendError(res, 400, 'The commit needs a header line with a summary');
  if (typeof header.parentCommit === 'string' && header.parentCommit !== head) {
    return sendError(res, 412, 'A commit has happened since. Please refresh and try again.');
  }
  const parent = repo.commits.get(head)!;
  const files = new Map(parent.files);
  for (const line of lines) {
    const v = line.value;
    const path = String(v.path ?? '');
    if (line.key !== 'header' && (path === '' || path.startsWith('/') || path.split('/').includes('..'))) {
      return sendError(res, 400, `Invalid path: ${path}`);
    }
    if (line.key === 'file') {
      const content = Buffer.from(String(v.content ?? ''), v.encoding === 'base64' ? 'base64' : 'utf8');
      files.set(path, { size: content.length, oid: gitBlobOid(content), content });
    } else if (line.key === 'lfsFile') {
      const oid = String(v.oid);
      const stored = repo.lfs.get(oid);
      const size = stored ? statSync(stored).size : -1;
      if (!stored || size !== Number(v.size)) {
        return sendError(res, 422, `LFS object ${oid} of ${path} was not uploaded; upload it before committing`);
      }
      files.set(path, lfsFile(oid, size, stored));
    } else if (line.key === 'deletedFile') {
      if (!files.delete(path)) return sendError(res, 404, `File not found: ${path}`, 'EntryNotFound');
    } else if (line.key === 'deletedFolder') {
      for (const p of [...files.keys()]) if (p.startsWith(`${path}/`)) files.delete(p);
    }
  }
  const id = commitId();
  repo.commits.set(id, {
    id,
    parent: head,
    title: header.summary,
    message: String(header.description ?? ''),
    date: now.toISOString(),
    files,
  });
  repo.branches.set(branch, id);
  const prefix = repo.type === 'model' ? '' : `${repo.type}s/`;
  sendJson(res, 200, { commitOid: id, commitUrl: `${base}/${prefix}${repo.id}/commit/${id}`, hookOutput: '', success: true });
}

// Streams an uploaded LFS object to disk, checked against the oid it was announced with.
export async function acceptLfsObject(
  repo: HubRepo,
  oid: string,
  objects: LfsObjects,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const received = await objects.receive(oid, req);
  if ('error' in received) return sendError(res, 400, received.error);
  repo.lfs.set(oid, received.file);
  res.writeHead(200, { ETag: `"${oid}"` });
  res.end();
}
