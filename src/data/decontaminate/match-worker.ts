import { parentPort } from 'node:worker_threads';
import { createMatcher, type Verdict } from './match-item.ts';
import type { DecontaminateSettings } from './settings.ts';
import { openTestIndex, type SharedTestIndex } from './share-index.ts';

export interface MatchRequest {
  seq: number;
  texts: Array<string | null>;
}

export interface MatchReply {
  seq: number;
  verdicts: Array<Verdict | null>;
}

// One worker thread: its first message is the test index the main thread built (its arrays shared, not copied) and
// the settings; it answers `ready`, then each batch of train texts with a verdict each (null for a null text).
let match: ((text: string) => Verdict) | undefined;
parentPort!.on('message', (message: MatchRequest | { index: SharedTestIndex; settings: DecontaminateSettings }) => {
  if ('index' in message) {
    match = createMatcher(openTestIndex(message.index), message.settings);
    parentPort!.postMessage({ ready: true });
    return;
  }
  const verdicts = message.texts.map((text) => (text === null ? null : match!(text)));
  parentPort!.postMessage({ seq: message.seq, verdicts } satisfies MatchReply);
});
