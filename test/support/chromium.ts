import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// Debian's chromium (.ci/setup/chromium.sh installs it); never a downloaded browser.
export const CHROMIUM = '/usr/bin/chromium';

// True when the browser is there, else why not (for describeWith).
export function chromiumAvailable(): true | string {
  return existsSync(CHROMIUM) ? true : `${CHROMIUM} is not installed (.ci/setup/chromium.sh start installs Debian's chromium)`;
}

// A headless Chromium with a fresh profile, launched with the flags docs/platform notes name; close() removes the profile.
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'loop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
