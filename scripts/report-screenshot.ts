// Makes docs/images/report.png: runs the quickstart in a temporary home, writes its `loop report`, and photographs
// the top of the page in headless Debian Chromium. Usage: npx tsx scripts/report-screenshot.ts [OUT.png] [HEIGHT]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { main } from '../src/cli/main.ts';

const out = path.resolve(process.argv[2] ?? 'docs/images/report.png');
const height = Number(process.argv[3] ?? 1500);
const home = mkdtempSync(path.join(tmpdir(), 'loop-screenshot-'));
const profile = mkdtempSync(path.join(tmpdir(), 'loop-screenshot-chromium-'));
try {
  const recipe = path.resolve('recipes/quickstart.yaml');
  if ((await main(['run', recipe, '--name', 'quickstart', '--home', home])) !== 0) throw new Error('the quickstart failed');
  const html = path.join(home, 'quickstart.html');
  if ((await main(['report', 'quickstart', '--out', html, '--home', home])) !== 0) throw new Error('loop report failed');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(html).href);
  await page.waitForFunction('window.loopReport && window.loopReport.ready === true');
  await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1280, height } });
  await context.close();
  console.log(`wrote ${out}`);
} finally {
  rmSync(home, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
