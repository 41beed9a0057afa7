import type { Provenance } from './collect-provenance.ts';

// One line for `loop status`: where the recipe's code was, which recipe, which loop, which hosts.
export function describeProvenance(p: Provenance): string {
  const git = p.git
    ? `git ${p.git.commit.slice(0, 10)}${p.git.branch ? ` on ${p.git.branch}` : ''}${p.git.dirty ? ' (dirty)' : ''}` +
      `${p.git.remote ? ` from ${p.git.remote}` : ''}`
    : 'not in a git repository';
  const hosts = [...new Set([p.hosts.controller, ...Object.values(p.hosts.stages)])].join(', ');
  return `${git} · recipe ${p.recipeSha256.slice(0, 12)} · loop ${p.tool.version} · hosts ${hosts}`;
}
