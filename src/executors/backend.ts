import type { ExecutorSpec } from '../recipe/types.ts';
import type { Executor } from './executor.ts';

// One compute backend as the registry knows it (src/executors/KIND/backend.ts in every backend folder): its name,
// how its executor is made, and what it needs on the controller's machine. Adding a backend is one folder of this
// shape and one line in registry.ts.
export interface Backend {
  /** The name a recipe's `executor.kind` uses. */
  readonly kind: ExecutorSpec['kind'];
  /**
   * Runs stages on another host, which may not share the controller's filesystem: the registry wraps the executor
   * with the transfer layer (src/executors/wrappers/transfer/), which copies files where `shared_filesystem: false`.
   */
  readonly remote: boolean;
  /** Makes the executor; the registry makes it once per process and shares it. */
  create(): Executor;
  /**
   * Before a run: why a stage with these executor options cannot run from this machine (a client program missing
   * from `pathVariable`), as a sentence saying what to install or set; undefined when nothing is missing.
   */
  whyUnavailable(spec: ExecutorSpec, pathVariable: string | undefined): string | undefined;
}
