import type { StoreBackend } from '../store-backend.ts';
import type { HfBackendOptions } from './hf-backend.ts';
import { hfLocation } from './hf-location.ts';

// The Hub backend with its client (@huggingface/hub and its WebAssembly hashers, about 50 ms to load) imported on
// the first request, so commands and runs that open a store without talking to the Hub never pay for it.
export function lazyHfBackend(options: HfBackendOptions): StoreBackend {
  let loaded: Promise<StoreBackend> | undefined;
  const real = () => (loaded ??= import('./hf-backend.ts').then((m) => m.hfBackend(options)));
  return {
    kind: 'hf',
    where: options.endpoint,
    ensureRepo: async (...a) => (await real()).ensureRepo(...a),
    ensureBranch: async (...a) => (await real()).ensureBranch(...a),
    read: async (...a) => (await real()).read(...a),
    commit: async (...a) => (await real()).commit(...a),
    setBranch: async (...a) => (await real()).setBranch(...a),
    setTag: async (...a) => (await real()).setTag(...a),
    refs: async (...a) => (await real()).refs(...a),
    commits: async (...a) => (await real()).commits(...a),
    download: async (...a) => (await real()).download(...a),
    location: (repo, revision, file) => hfLocation(repo, revision, file),
  };
}
