import path from 'node:path';
import type { StoreSpec } from '../recipe/types.ts';
import { localBackend } from './local/local-backend.ts';
import { lazyHfBackend } from './hf/lazy-hf-backend.ts';
import { retryingFetch } from './hf/retrying-fetch.ts';
import { streamingFetch } from './hf/streaming-fetch.ts';
import type { StoreBackend } from './store-backend.ts';
import { StoreError } from './store-error.ts';

export const DEFAULT_STORE: StoreSpec = { kind: 'local', namespace: 'local', private: true, overlap: false };
export const PUBLIC_HUB = 'https://huggingface.co';

export interface BackendDeps {
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Wait before retry n of a failed request, in ms (default 250·2^(n-1)). */
  retryDelayMs?: (retry: number) => number;
  onRetry?: (what: string, retry: number) => void;
}

// The backend a recipe's `store` names: the local folder LOOP_HOME/store, or the Hub at store.endpoint, else
// $HF_ENDPOINT, else the public Hub, with the token from $HF_TOKEN (the conventions of the Hub's own tools).
export function openBackend(spec: StoreSpec | undefined, home: string, deps: BackendDeps): StoreBackend {
  const store = spec ?? DEFAULT_STORE;
  if (store.kind === 'local') return localBackend(path.join(home, 'store'));
  const token = deps.env.HF_TOKEN || undefined;
  if (!token)
    throw new StoreError(
      'store.kind is hf but HF_TOKEN is not set: export HF_TOKEN=hf_… (a token with write access to the namespace) and run again',
    );
  if (!token.startsWith('hf_'))
    throw new StoreError(
      'HF_TOKEN does not look like a Hugging Face token (they start with "hf_"); set it to a token from the Hub\'s settings',
    );
  const endpoint = (store.endpoint ?? deps.env.HF_ENDPOINT ?? PUBLIC_HUB).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s@/]+/.test(endpoint)) {
    throw new StoreError(
      `the Hub endpoint "${endpoint.replace(/\/\/[^/]*@/, '//…@')}" is not an http(s) URL without credentials; set store.endpoint or ` +
        `HF_ENDPOINT, e.g. https://huggingface.co`,
    );
  }
  const fetchWithRetries = retryingFetch(streamingFetch(deps.fetch ?? globalThis.fetch), {
    attempts: 4,
    delayMs: deps.retryDelayMs ?? ((n) => 250 * 2 ** (n - 1)),
    sleep: deps.sleep,
    onRetry: deps.onRetry,
  });
  return lazyHfBackend({ endpoint, token, fetch: fetchWithRetries });
}
