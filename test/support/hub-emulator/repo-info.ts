import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import type { HubCommit, HubRepo } from './hub-state.ts';

// The body of `GET /api/{type}s/{repo}` and `GET /api/{type}s/{repo}/revision/{rev}` (huggingface_hub's
// `model_info`/`repo_info`, which `snapshot_download` calls to turn a branch or tag into a commit): the repo's
// identity, `sha` (the commit the revision points at), `lastModified`, and `siblings`, one `{rfilename}` per file;
// with `?blobs=true` each sibling also has `size`, `blobId` and, for LFS files, `lfs: {sha256, size, pointerSize}`.
// `cardData` is the README.md's YAML front matter, and a model's `model-index` is repeated at the top, as the Hub
// does. Popularity fields the Hub computes (downloads, likes) are zero; no `config` or `safetensors` summary.
export function repoInfo(repo: HubRepo, commit: HubCommit, blobs: boolean): Record<string, unknown> {
  const card = frontMatter(commit.files.get('README.md')?.content);
  let root = commit;
  for (let c: HubCommit | undefined = commit; c; c = c.parent ? repo.commits.get(c.parent) : undefined) root = c;
  const siblings = [...commit.files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rfilename, file]) =>
      blobs
        ? {
            rfilename,
            size: file.size,
            blobId: file.oid,
            ...(file.lfs ? { lfs: { sha256: file.lfs, size: file.size, pointerSize: 134 } } : {}),
          }
        : { rfilename },
    );
  return {
    _id: createHash('sha1').update(`${repo.type}/${repo.id}`).digest('hex').slice(0, 24),
    id: repo.id,
    ...(repo.type === 'model' ? { modelId: repo.id } : {}),
    author: repo.id.split('/')[0],
    sha: commit.id,
    lastModified: commit.date,
    createdAt: root.date,
    private: repo.private,
    gated: false,
    disabled: false,
    tags: Array.isArray(card?.tags) ? card.tags : [],
    downloads: 0,
    likes: 0,
    siblings,
    ...(card ? { cardData: card } : {}),
    ...(repo.type === 'model' && card?.['model-index'] ? { 'model-index': card['model-index'] } : {}),
  };
}

// The YAML between a README's leading `---` lines, when it parses to a mapping.
function frontMatter(readme: Buffer | undefined): Record<string, unknown> | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(readme?.toString('utf8') ?? '');
  if (!m) return undefined;
  try {
    const data: unknown = parse(m[1]!);
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
