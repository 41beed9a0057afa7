// Worker-thread entry for symbolic judging: workers do not inherit the tsx loader the CLI registered, so this plain
// module registers it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./symbolic-worker.ts');
