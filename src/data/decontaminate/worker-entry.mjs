// Worker threads start without the TypeScript loader the CLI registered on its own thread: register tsx here, then
// load the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./match-worker.ts');
