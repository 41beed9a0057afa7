import { parentPort, workerData } from 'node:worker_threads';
import { buildTestIndex, type TestSetInput } from './test-index.ts';
import { createMatcher, type Verdict } from './match-item.ts';
import type { DecontaminateSettings } from './settings.ts';

export interface MatchRequest {
  seq: number;
  texts: Array<string | null>;
}

export interface MatchReply {
  seq: number;
  verdicts: Array<Verdict | null>;
}

// One worker thread: builds its own copy of the test index from the test sets it was given, then answers batches of
// train texts with a verdict each (null for a null text).
function serve(sets: TestSetInput[], settings: DecontaminateSettings): void {
  const match = createMatcher(buildTestIndex(sets, settings), settings);
  parentPort!.on('message', (request: MatchRequest) => {
    const verdicts = request.texts.map((text) => (text === null ? null : match(text)));
    parentPort!.postMessage({ seq: request.seq, verdicts } satisfies MatchReply);
  });
  parentPort!.postMessage({ ready: true });
}

const data = workerData as { sets: TestSetInput[]; settings: DecontaminateSettings };
serve(data.sets, data.settings);
