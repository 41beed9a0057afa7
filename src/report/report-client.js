// The report page's script, inlined into the HTML by render-report.ts: draws the embedded data with uPlot (also
// inlined) and exposes what it drew as window.loopReport = {ready, charts: [{id, kind, title, x, series, points}]}
// for tests and tools; each chart's element carries data-points (the points its first line drew).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('loop-report-data').textContent);
  var charts = [];
  window.loopReport = { ready: false, run: data.run, iterations: data.iterations, charts: charts };
  var PALETTE = ['#2f6db5', '#c9514a', '#5aa469', '#e0a43a', '#8e6bbf', '#4fa3a5', '#b5651d', '#777777'];

  // A shade from light to dark blue for iteration i of n, so later iterations read darker.
  function shade(i, n) {
    var t = n <= 1 ? 1 : i / (n - 1);
    var from = [158, 202, 225];
    var to = [8, 48, 107];
    var c = from.map(function (f, k) {
      return Math.round(f + (to[k] - f) * t);
    });
    return 'rgb(' + c.join(',') + ')';
  }

  function countPoints(values) {
    return values.filter(function (v) {
      return v !== null && v !== undefined && isFinite(v);
    }).length;
  }

  // One uPlot chart in a new element under `parent`; records it in window.loopReport.charts.
  function chart(parent, spec) {
    var box = document.createElement('div');
    box.className = 'chart';
    box.id = spec.id;
    box.setAttribute('data-kind', spec.kind);
    box.setAttribute('data-title', spec.title);
    parent.appendChild(box);
    var xs = spec.x;
    var opts = {
      title: spec.title,
      width: 370,
      height: 190,
      scales: {
        x: {
          time: false,
          range: function (_u, min, max) {
            return min === max ? [min - 1, max + 1] : [min, max];
          },
        },
      },
      axes: [{ label: spec.xLabel, incrs: spec.kind === 'metric' ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] : undefined }, { size: 60 }],
      series: [{ label: spec.xLabel }].concat(
        spec.series.map(function (s, i) {
          return {
            label: s.label,
            stroke: s.color || PALETTE[i % PALETTE.length],
            width: 2,
            spanGaps: true,
            points: { show: spec.kind === 'metric' || xs.length <= 40 },
          };
        }),
      ),
      legend: { show: spec.kind !== 'metric', live: false },
    };
    var plot = new uPlot(
      opts,
      [xs].concat(
        spec.series.map(function (s) {
          return s.values;
        }),
      ),
      box,
    );
    var points = countPoints(plot.data[1] || []);
    box.setAttribute('data-points', String(points));
    charts.push({
      id: spec.id,
      kind: spec.kind,
      title: spec.title,
      x: xs,
      series: spec.series.map(function (s) {
        return { label: s.label, values: s.values };
      }),
      points: points,
    });
    return plot;
  }

  function group(parent, title) {
    var h = document.createElement('h3');
    h.textContent = title;
    parent.appendChild(h);
    var grid = document.createElement('div');
    grid.className = 'grid';
    parent.appendChild(grid);
    return grid;
  }

  // Metrics over iterations: one chart per metric, grouped by the part before the first dot; the main metric at the top.
  var metricsEl = document.getElementById('metric-charts');
  if (data.metrics.length === 0) metricsEl.innerHTML = '<p class="none">No metrics yet.</p>';
  var groups = {};
  data.metrics.forEach(function (m, i) {
    var main = m.name === data.mainMetric;
    var key = m.name.split('.')[0];
    if (!main && !groups[key]) groups[key] = group(metricsEl, key);
    chart(main ? document.getElementById('main-chart') : groups[key], {
      id: 'metric-' + i,
      kind: 'metric',
      title: m.name + (m.higherIsBetter ? ' ↑' : ' ↓'),
      metric: m.name,
      xLabel: 'iteration',
      x: data.iterations,
      series: [{ label: m.name, values: m.values, color: m.name === data.mainMetric ? '#c9514a' : undefined }],
    });
    charts[charts.length - 1].metric = m.name;
  });

  // Training curves: per stage and per reported name, one line per iteration over the union of their steps.
  var curvesEl = document.getElementById('curve-charts');
  if (data.curves.length === 0) curvesEl.innerHTML = '<p class="none">No stage wrote a curves.jsonl ($LOOP_CURVES).</p>';
  var byStage = {};
  data.curves.forEach(function (c) {
    (byStage[c.stage] = byStage[c.stage] || []).push(c);
  });
  Object.keys(byStage).forEach(function (stage) {
    var sets = byStage[stage];
    var grid = group(curvesEl, stage);
    var names = [];
    sets.forEach(function (c) {
      Object.keys(c.series).forEach(function (n) {
        if (names.indexOf(n) < 0) names.push(n);
      });
    });
    var steps = [];
    var seen = {};
    sets.forEach(function (c) {
      c.steps.forEach(function (s) {
        if (!seen[s]) {
          seen[s] = true;
          steps.push(s);
        }
      });
    });
    steps.sort(function (a, b) {
      return a - b;
    });
    var at = {};
    steps.forEach(function (s, i) {
      at[s] = i;
    });
    names.forEach(function (name, n) {
      chart(grid, {
        id: 'curve-' + stage + '-' + n,
        kind: 'curve',
        title: stage + ' · ' + name,
        xLabel: 'step',
        x: steps,
        series: sets.map(function (c, i) {
          var values = steps.map(function () {
            return null;
          });
          (c.series[name] || []).forEach(function (v, k) {
            values[at[c.steps[k]]] = v;
          });
          return { label: 'iteration ' + c.iteration, values: values, color: shade(i, sets.length) };
        }),
      });
      charts[charts.length - 1].stage = stage;
      charts[charts.length - 1].iterations = sets.map(function (c) {
        return c.iteration;
      });
    });
  });

  window.loopReport.ready = true;
  document.body.setAttribute('data-ready', 'true');
})();
