import { describe, expect, it } from 'vitest';
import { loadRecipeSource } from '../../src/recipe/load-recipe.ts';
import { RecipeError } from '../../src/recipe/recipe-error.ts';
import { MINIMAL_RECIPE } from '../helpers/minimal-recipe.ts';

function errorsOf(source: string): string[] {
  try {
    loadRecipeSource(source, 'r.yaml', '/tmp/r.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(RecipeError);
    return (error as RecipeError).message.split('\n');
  }
  throw new Error('expected a RecipeError');
}

describe('the tracking: and notify: sections', () => {
  it('are off by default', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/x/r.yaml');
    expect(recipe.tracking).toBeUndefined();
    expect(recipe.notify).toBeUndefined();
  });

  it('fill their defaults: the experiment is the recipe name, TensorBoard files go to the run folder, every event is sent', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/x/r.yaml', {
      sets: ['tracking.mlflow={}', 'tracking.tensorboard={}', 'notify.webhook={}'],
    });
    expect(recipe.tracking).toEqual({ mlflow: { experiment: 'mini', stageRuns: false }, tensorboard: {} });
    expect(recipe.notify).toEqual({
      webhookEnv: 'LOOP_NOTIFY_WEBHOOK_URL',
      on: ['iteration_finished', 'run_finished', 'stage_failed', 'paused', 'target_reached'],
      timeoutSeconds: 10,
      attempts: 3,
    });
  });

  it('resolve a relative TensorBoard folder against the recipe and read durations', () => {
    const source =
      `${MINIMAL_RECIPE}tracking:\n  tensorboard: { dir: tb }\n` + 'notify:\n  command: [notify-send]\n  timeout: 1m\n  on: [paused]\n';
    const recipe = loadRecipeSource(source, 'r.yaml', '/tmp/x/r.yaml');
    expect(recipe.tracking?.tensorboard?.dir).toBe('/tmp/x/tb');
    expect(recipe.notify).toMatchObject({ command: ['notify-send'], timeoutSeconds: 60, on: ['paused'] });
  });

  it('refuse credentials in the tracking URI, an unknown stage for child runs, an unknown event and a notify with nowhere to go', () => {
    const source =
      `${MINIMAL_RECIPE}tracking:\n  mlflow:\n    tracking_uri: http://me:pw@mlflow:5000\n    stage_runs: [train_sft, trian_rm]\n` +
      'notify:\n  on: [finished]\n';
    expect(errorsOf(source)).toEqual([
      'r.yaml:31:19: tracking.mlflow.tracking_uri: "http://me:pw@mlflow:5000" is not an MLflow server\'s http(s) URL without ' +
        'credentials, e.g. "http://127.0.0.1:5000" (a user and password go in MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, ' +
        'a token in MLFLOW_TRACKING_TOKEN)',
      'r.yaml:34:8: notify.on[0]: must be "iteration_finished" or "run_finished" or "stage_failed" or "paused" or "target_reached", ' +
        'got "finished". Did you mean "run_finished"?',
    ]);
    expect(errorsOf(`${MINIMAL_RECIPE}notify:\n  on: [paused]\n`)).toEqual([
      'r.yaml:30:3: notify: needs "webhook" and/or "command", e.g. webhook: { url_env: LOOP_NOTIFY_WEBHOOK_URL }',
    ]);
    const stageRuns = `${MINIMAL_RECIPE}tracking:\n  mlflow:\n    stage_runs: [train_sft, trian_rm]\n`;
    expect(errorsOf(stageRuns)).toEqual([
      'r.yaml:31:29: tracking.mlflow.stage_runs[1]: no stage "trian_rm" in this recipe; name one of sample_rm, train_rm, sample_sft, ' +
        'select, train_sft, eval',
    ]);
  });
});
