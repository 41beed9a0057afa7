import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const root = mkdtempSync(path.join(tmpdir(), 'loop-tracking-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('tracking settings that cannot work', () => {
  it('stop the run before any stage: MLflow with no server named, a webhook whose variable is unset (exit 2, E_TRACKING)', () => {
    const home = path.join(root, 'home');
    const env = { MLFLOW_TRACKING_URI: '', LOOP_NOTIFY_WEBHOOK_URL: '' };
    const mlflow = runCli(['run', RECIPE, '--name', 'm', '--home', home, '--set', 'tracking.mlflow={}'], { cwd: root, env });
    expect(mlflow.code).toBe(2);
    expect(mlflow.stderr).toContain(
      'tracking.mlflow needs an MLflow server: set MLFLOW_TRACKING_URI or --set tracking.mlflow.tracking_uri=',
    );
    expect(mlflow.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(home, 'runs/m/iterations/0'))).toBe(false);

    const hook = runCli(['run', RECIPE, '--name', 'w', '--home', home, '--set', 'notify.webhook={url_env: MY_HOOK}'], {
      cwd: root,
      env: { ...env, MY_HOOK: '' },
    });
    expect(hook.code).toBe(2);
    expect(hook.stderr).toContain('notify.webhook needs the webhook URL in $MY_HOOK');
    expect(existsSync(path.join(home, 'runs/w/iterations/0'))).toBe(false);
  });
});
