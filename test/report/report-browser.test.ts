import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/optional-dependency.ts';
import { chromiumAvailable, launchChromium } from '../support/chromium.ts';
import { runCli } from '../helpers/run-cli.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');

interface Chart {
  id: string;
  kind: 'metric' | 'curve';
  title: string;
  metric?: string;
  stage?: string;
  iterations?: number[];
  x: number[];
  series: { label: string; values: (number | null)[] }[];
  points: number;
}

// What the test reads from the page, run inside it (a string: the project's TypeScript has no DOM types).
const PROBE = `({
  charts: window.loopReport.charts,
  canvases: document.querySelectorAll('.chart canvas').length,
  chartBoxes: [...document.querySelectorAll('.chart')].map((el) => ({
    id: el.id,
    points: el.getAttribute('data-points'),
    canvas: el.querySelector('canvas') !== null,
  })),
  lanes: document.querySelectorAll('.timeline .lane').length,
  selectionRows: document.querySelectorAll('table.selection tbody tr').length,
  provenanceText: [...document.querySelectorAll('#provenance ~ details')].map((d) => d.textContent).join(' '),
  title: document.title,
})`;

// Issue 6's "must show": `loop report a --out a.html` on a real quickstart run, opened in real headless Chromium.
describeWith('loop report in headless Chromium', chromiumAvailable(), () => {
  const home = mkdtempSync(path.join(tmpdir(), 'loop-report-'));
  const html = path.join(home, 'a.html');
  let status: { iterations: { index: number; metrics: Record<string, number> }[] };
  let page: {
    errors: string[];
    requests: string[];
    charts: Chart[];
    canvases: number;
    chartBoxes: { id: string; points: string | null; canvas: boolean }[];
    lanes: number;
    selectionRows: number;
    provenanceText: string;
    title: string;
    alerted: boolean;
  };

  beforeAll(async () => {
    const run = runCli(['run', RECIPE, '--name', 'a', '--home', home], { cwd: home, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    status = JSON.parse(runCli(['status', 'a', '--json', '--home', home], { cwd: home }).stdout);
    // A provenance file as an artifact store writes one, with a value that tries to break out of the page.
    const hostile = '</script><script>alert("x")</script><!--';
    writeFileSync(
      path.join(home, 'runs/a/iterations/1/provenance.json'),
      JSON.stringify({ git: { commit: 'abc123', dirty: false }, note: hostile }),
    );
    const report = runCli(['report', 'a', '--out', html, '--home', home], { cwd: home });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^wrote .*a\.html \(\d+ KiB\): 5 iterations, \d+ metric charts, 5 curve charts\n$/);

    const browser = await launchChromium();
    try {
      const tab = await browser.context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      let alerted = false;
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('dialog', (d) => ((alerted = true), void d.dismiss()));
      await tab.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requests.push(url);
        return route.abort();
      });
      await tab.goto(pathToFileURL(html).href);
      await tab.waitForFunction('window.loopReport && window.loopReport.ready === true', null, { timeout: 20_000 });
      page = (await tab.evaluate(PROBE)) as typeof page;
      page.errors = errors;
      page.requests = requests;
      page.alerted = alerted;
    } finally {
      await browser.close();
    }
  }, 240_000);

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('loads with no console error, no network request, nothing injected', () => {
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.alerted).toBe(false);
    expect(page.title).toBe('loop report · a');
    expect(readFileSync(html, 'utf8')).not.toMatch(/(src|href)="https?:/);
  });

  it('the accuracy chart has one point per iteration, with the values loop status reports', () => {
    const accuracy = page.charts.find((c) => c.metric === 'eval.accuracy')!;
    expect(accuracy.x).toEqual(status.iterations.map((it) => it.index));
    expect(accuracy.points).toBe(status.iterations.length);
    expect(accuracy.series[0]!.values).toEqual(status.iterations.map((it) => it.metrics['eval.accuracy']));
    expect(page.chartBoxes.find((b) => b.id === accuracy.id)).toEqual({
      id: accuracy.id,
      points: String(status.iterations.length),
      canvas: true,
    });
  });

  it('every metric chart spans every iteration; every chart drew a canvas', () => {
    const metricCharts = page.charts.filter((c) => c.kind === 'metric');
    const names = new Set(status.iterations.flatMap((it) => Object.keys(it.metrics)));
    expect(metricCharts.map((c) => c.metric).sort()).toEqual([...names].sort());
    for (const c of metricCharts) {
      expect(c.x, c.title).toHaveLength(status.iterations.length);
      const expected = status.iterations.filter((it) => it.metrics[c.metric!] !== undefined).length;
      expect(c.points, c.title).toBe(expected);
    }
    expect(page.canvases).toBe(page.charts.length);
    expect(page.chartBoxes.every((b) => b.canvas)).toBe(true);
    expect(metricCharts.map((c) => c.metric)).toContain('time.total.seconds');
  });

  it("training curves from the quickstart's train scripts: train_sft in every iteration, train_rm from iteration 1", () => {
    const curves = page.charts.filter((c) => c.kind === 'curve');
    const sftLoss = curves.find((c) => c.stage === 'train_sft' && c.title.endsWith('· loss'))!;
    expect(sftLoss.iterations).toEqual([0, 1, 2, 3, 4]);
    const rmLoss = curves.find((c) => c.stage === 'train_rm' && c.title.endsWith('· loss'))!;
    expect(rmLoss.iterations).toEqual([1, 2, 3, 4]);
    expect(rmLoss.x[0]).toBe(0);
    expect(rmLoss.x.at(-1)).toBe(300);
    // The last point of each iteration's RM curve is the train loss train-rm.mjs reported.
    rmLoss.series.forEach((s, i) => expect(s.values.at(-1)).toBe(status.iterations[i + 1]!.metrics['train_rm.train_loss']));
    expect(curves.map((c) => c.title)).toEqual(expect.arrayContaining(['train_rm · heldout_accuracy', 'train_sft · loss']));
  });

  it('a timeline lane per iteration, a selection row per iteration that selected, the provenance escaped as text', () => {
    expect(page.lanes).toBe(5);
    expect(page.selectionRows).toBe(4);
    expect(page.provenanceText).toContain('git.commit');
    expect(page.provenanceText).toContain('abc123');
    expect(page.provenanceText).toContain('</script><script>alert("x")</script>');
  });
});
