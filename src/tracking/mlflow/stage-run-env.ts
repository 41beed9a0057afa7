import { ensureMlflowRun } from './ensure-mlflow-run.ts';
import type { MlflowClient } from './mlflow-client.ts';

// The MLflow variables of one stage: a child run of the loop's run (tag mlflow.parentRunId, named iter-N/STAGE),
// made once per iteration and stage (its key derives from the loop run's key, so a retry or a resume reuses it),
// given as MLFLOW_RUN_ID (with MLFLOW_PARENT_RUN_ID) so a script logging with report_to="mlflow" (transformers, TRL) logs into it.
export async function stageRunEnv(
  client: MlflowClient,
  recordFile: string,
  where: { parent: string; iteration: number; stage: string; run: string; experiment: string },
): Promise<Record<string, string>> {
  const slot = `${where.iteration}/${where.stage}`;
  const child = await ensureMlflowRun(
    client,
    recordFile,
    {
      experiment: where.experiment,
      runName: `${where.run} iter-${where.iteration} ${where.stage}`,
      tags: {
        'mlflow.parentRunId': where.parent,
        'loop.run': where.run,
        'loop.iteration': String(where.iteration),
        'loop.stage': where.stage,
      },
      startTime: Date.now(),
    },
    (r) => ({ key: `${r.key}/${slot}`, runId: r.children?.[slot] }),
    (r, id) => void (r.children = { ...r.children, [slot]: id }),
  );
  return {
    MLFLOW_RUN_ID: child,
    MLFLOW_PARENT_RUN_ID: where.parent,
  };
}
