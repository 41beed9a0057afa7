import type { LoopStage } from '../../recipe/stage-names.ts';
import type { StopRule } from '../../recipe/types.ts';
import type { ErrorCode } from '../../errors/loop-error.ts';

// What a stage actor is given: which stage, which iteration, and where every earlier stage's latest outputs live.
export interface StageInput {
  stage: LoopStage;
  /** The iteration; RL stages get the loop's last iteration (the one whose SFT model and RM they use). */
  iteration: number;
  /** For each stage, the iteration whose outputs are its latest finished ones. */
  latest: Partial<Record<LoopStage, number>>;
}

// What a stage actor gives back when it finished and its declared outputs exist.
export interface StageOutput {
  /** The stage's metrics.json, flat, unprefixed. */
  metrics: Record<string, number>;
  /** Epoch ms when the stage ended (the wall-time budget is measured with it, so the machine reads no clock). */
  endedAt: number;
}

export interface EvolveInput {
  /** The stages the recipe defines, RL stages included when its RL phase is enabled. */
  stages: LoopStage[];
  until: StopRule;
  /** Whether the plateau metric improves upward (default true). */
  plateauHigherIsBetter?: boolean;
  /** Epoch ms when the run started. */
  startedAt: number;
}

export interface EvolveContext extends EvolveInput {
  iteration: number;
  /** The stage being run, or the one to run next after a pause or a failure. */
  stage: LoopStage;
  latest: Partial<Record<LoopStage, number>>;
  /** Metrics of the iteration in progress, named STAGE.METRIC. */
  current: Record<string, number>;
  /** The last finished iterations, oldest first, only as many as the stop rule needs, each with only the metrics it reads (historyEntry).
  /* */
  history: Array<Record<string, number>>;
  lastEndedAt: number;
  /** Time the run stood paused or failed, summed over its resumes; absent in snapshots from before it was kept. */
  haltedMs?: number;
  pauseRequested: boolean;
  stopReason: string | null;
  /** Why the run failed; `code` is absent in snapshots written before it was kept (read as E_STAGE_FAILED). */
  error: RunError<LoopStage> | null;
  /** Metrics of the RL phase, named STAGE.METRIC (rl_eval.accuracy); absent in snapshots from before the RL phase. */
  rl?: Record<string, number>;
}

export type EvolveEvent =
  | { type: 'PAUSE' }
  | { type: 'PAUSE_NOW' }
  /** haltedMs: how long the run stood paused or failed (the controller's clock), kept out of the wall-time budget. */
  | { type: 'RESUME'; haltedMs?: number }
  | { type: 'STOP' };

// A failed run's error as the machine keeps it: where, the message, and the error code that decides the exit code.
export interface RunError<Stage extends string = string> {
  stage: Stage;
  iteration: number;
  message: string;
  code?: ErrorCode;
}
