import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHubEmulator, type HubEmulator } from '../support/hub-emulator/hub-emulator.ts';
import { openBackend } from '../../src/store/open-backend.ts';
import type { StoreBackend } from '../../src/store/store-backend.ts';

export interface BackendUnderTest {
  backend: StoreBackend;
  home: string;
  emulator?: HubEmulator;
  close(): Promise<void>;
}

export const TOKEN = 'hf_contractTestToken0123456789';

// The two backends the contract tests run against: the local store in a fresh folder, and the Hub backend with the
// real @huggingface/hub client against a fresh emulator (files of 64 bytes or more go through LFS there).
export const BACKENDS: Array<{ name: string; make: () => Promise<BackendUnderTest> }> = [
  {
    name: 'local',
    make: async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'loop-store-'));
      const backend = openBackend({ kind: 'local', namespace: 'acme', private: true, overlap: false }, home, { env: {}, sleep: fastSleep });
      return { backend, home, close: async () => rmSync(home, { recursive: true, force: true }) };
    },
  },
  {
    name: 'hf',
    make: async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'loop-store-'));
      const emulator = await startHubEmulator({ tokens: [TOKEN], lfsThreshold: 64 });
      const backend = openBackend({ kind: 'hf', namespace: 'acme', private: true, overlap: false, endpoint: emulator.url }, home, {
        env: { HF_TOKEN: TOKEN },
        sleep: fastSleep,
        retryDelayMs: () => 5,
      });
      return {
        backend,
        home,
        emulator,
        close: async () => {
          await emulator.close();
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  },
];

export function fastSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
}
