import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from './report-data.ts';
import { escapeHtml, scriptJson } from './html.ts';
import { renderProvenance, renderRlPhase, renderSelection, renderSummary, renderTimeline } from './render-sections.ts';

// The page's own script and style, and uPlot's, read once: the page inlines all four so it needs no network.
function assets(): { uplotJs: string; uplotCss: string; clientJs: string; css: string } {
  const require = createRequire(import.meta.url);
  const dist = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
  const own = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');
  return {
    uplotJs: dist('uPlot.iife.min.js'),
    uplotCss: dist('uPlot.min.css'),
    clientJs: own('./report-client.js'),
    css: own('./report.css'),
  };
}

// One self-contained HTML page: tables rendered here, charts drawn in the browser from the embedded data.
export function renderReport(data: ReportData): string {
  const a = assets();
  const title = `loop report · ${data.run}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src " +
  "data:">
<title>${escapeHtml(title)}</title>
<style>${a.uplotCss}</style>
<style>${a.css}</style>
</head>
<body>
<h1>${escapeHtml(data.run)}</h1>
<nav><a href="#main">main metric</a><a href="#curves">training curves</a><a href="#timeline">timeline</a><a
href="#selection">selection</a><a href="#metrics">all metrics</a><a href="#rl">RL phase</a><a href="#provenance">provenance</a></nav>
<div class="top">
${renderSummary(data)}
<div id="main"><div id="main-chart"></div></div>
</div>
<h2 id="curves">Training curves</h2>
<div id="curve-charts"></div>
<h2 id="timeline">Stage timeline</h2>
${renderTimeline(data)}
<h2 id="selection">Selection and voting</h2>
${renderSelection(data)}
<h2 id="metrics">Metrics over iterations</h2>
<div id="metric-charts"></div>
<h2 id="rl">RL phase</h2>
${renderRlPhase(data)}
<h2 id="provenance">Provenance</h2>
${renderProvenance(data)}
<script type="application/json" id="loop-report-data">${scriptJson(data)}</script>
<script>${a.uplotJs}</script>
<script>${a.clientJs}</script>
</body>
</html>
`;
}
