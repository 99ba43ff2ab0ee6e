// What a dashboard widget shows for one metric answer: a number with its change against the
// previous period, a line or bar chart (Chart.js, served by Stripeline at /assets/vendor/), or a
// table; and the notice of a data source that needs reconnecting. Shared by the dashboard and
// the printable report.
import { h, uniqueId } from './dom.js';
import { formatValue, changeOf, currencyLabel, bucketLabel } from './metrics.js';

export const DISPLAYS = [
  ['number', 'Number', {}],
  ['line', 'Line chart', { chart: 'line' }],
  ['bar', 'Bar chart', { chart: 'bar' }],
  ['table', 'Table', {}],
];

// A stored widget's display: number | line | bar | table (a chart keeps its type in options).
export function displayOf(widget) {
  if (widget.kind === 'chart') return widget.options?.chart === 'bar' ? 'bar' : 'line';
  return widget.kind;
}

// A widget's width in the grid: one column or two. Charts and tables default to two.
export const WIDTHS = [['normal', 'Normal'], ['wide', 'Wide']];
export function widthOf(widget) {
  const width = widget.options?.width;
  if (width === 'normal' || width === 'wide') return width;
  return displayOf(widget) === 'number' ? 'normal' : 'wide';
}

// The stored {kind, options} of a display and width.
export function kindOf(display, width) {
  const [, , options] = DISPLAYS.find(([name]) => name === display) ?? DISPLAYS[0];
  return { kind: options.chart ? 'chart' : display, options: { ...options, width } };
}

const PALETTE = ['#4b3fd6', '#0f7a4a', '#c2410c', '#1a73e8', '#9d174d', '#5b6275'];

let chartLibrary = null;

// Chart.js's UMD build sets globalThis.Chart; it is loaded only by pages that draw charts.
function loadChartLibrary() {
  if (!chartLibrary) {
    chartLibrary = import('../vendor/chart.umd.min.js').then(() => globalThis.Chart).catch((error) => {
      chartLibrary = null;
      throw error;
    });
  }
  return chartLibrary;
}

const charts = new Map(); // canvas -> Chart

// Frees the charts drawn inside `element` (before it is redrawn or left).
export function destroyCharts(element) {
  for (const [canvas, chart] of charts) {
    if (element.contains(canvas) || !canvas.isConnected) {
      chart.destroy();
      charts.delete(canvas);
    }
  }
}

// Resizes every chart to the paper before printing (Chart.js draws at the screen's size).
window.addEventListener('beforeprint', () => {
  for (const chart of charts.values()) chart.resize();
});

// Each currency's total with its change against the previous period.
export function totalsView(info, answer) {
  if (!answer.values.length) return h('p', { class: 'kpi-empty muted' }, 'No data for these dates.');
  return h('div', { class: 'kpis' }, answer.values.map((v) => {
    const change = changeOf(v.total, v.previous_total);
    return h('div', { class: 'kpi', 'data-currency': v.currency ?? '' },
      answer.values.length > 1 || v.currency ? h('span', { class: 'kpi-currency' }, currencyLabel(v.currency)) : null,
      h('span', { class: 'kpi-value' }, formatValue(info.unit, v.total, v.currency)),
      h('span', { class: `kpi-change change-${change.direction}` },
        change.direction === 'up' ? '▲ ' : change.direction === 'down' ? '▼ ' : '',
        change.text,
        change.compared ? h('span', { class: 'muted' }, ` vs previous period (${formatValue(info.unit, v.previous_total, v.currency)})`) : null));
  }));
}

// One chart per currency: amounts of different currencies never share an axis.
function chartView(info, answer, type) {
  if (!answer.values.length) return h('p', { class: 'kpi-empty muted' }, 'No data for these dates.');
  const several = answer.values.length > 1;
  return h('div', { class: 'charts' }, answer.values.map((values, i) => {
    const label = `${type === 'bar' ? 'Bar' : 'Line'} chart of ${info.title}${values.currency ? ` in ${currencyLabel(values.currency)}` : ''} by ${answer.interval}, total ${formatValue(info.unit, values.total, values.currency)}`;
    const canvas = h('canvas', { role: 'img', 'aria-label': label });
    const status = h('p', { class: 'chart-status muted', hidden: true });
    draw(canvas, info, answer.interval, values, type, PALETTE[i % PALETTE.length]).catch((error) => {
      status.textContent = `The chart could not be drawn: ${error.message}`;
      status.hidden = false;
    });
    return h('figure', { class: 'chart', 'data-currency': values.currency ?? '' },
      several ? h('figcaption', { class: 'kpi-currency' }, currencyLabel(values.currency)) : null,
      h('div', { class: 'chart-box' }, canvas), status);
  }));
}

async function draw(canvas, info, interval, values, type, color) {
  const Chart = await loadChartLibrary();
  // Chart.js sizes the chart from its container, so wait until the widget is on the page.
  for (let frame = 0; !canvas.isConnected; frame++) {
    if (frame > 600) return; // the page was left before the chart could be drawn
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  const points = values.series;
  const chart = new Chart(canvas, {
    type,
    data: {
      labels: points.map((p) => bucketLabel(p.start, interval)),
      datasets: [{
        label: info.title,
        data: points.map((p) => p.value),
        borderColor: color,
        backgroundColor: type === 'bar' ? color : `${color}22`,
        fill: type === 'line',
        pointRadius: points.length > 40 ? 0 : 2,
        tension: 0.2,
      }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => formatValue(info.unit, item.raw, values.currency) } },
      },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { beginAtZero: true, ticks: { callback: (value) => formatValue(info.unit, value, values.currency) } },
      },
    },
  });
  charts.set(canvas, chart);
  canvas.dataset.drawn = 'true';
}

function tableView(info, answer) {
  if (!answer.values.length) return h('p', { class: 'kpi-empty muted' }, 'No data for these dates.');
  const captionId = uniqueId('widget-table');
  const starts = answer.values[0].series.map((p) => p.start);
  const cell = (v, value) => h('td', { class: 'number' }, formatValue(info.unit, value, v.currency));
  return h('div', { class: 'table-wrap widget-table' }, h('table', { class: 'list compact', 'aria-describedby': captionId },
    h('caption', { id: captionId, class: 'visually-hidden' }, `${info.title} by ${answer.interval}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Period'),
      answer.values.map((v) => h('th', { scope: 'col', class: 'number' }, currencyLabel(v.currency))))),
    h('tbody', {}, starts.map((start, row) => h('tr', {},
      h('th', { scope: 'row' }, bucketLabel(start, answer.interval)),
      answer.values.map((v) => cell(v, v.series[row]?.value))))),
    h('tfoot', {},
      h('tr', {}, h('th', { scope: 'row' }, info.at_instant ? 'At the end' : 'Total'), answer.values.map((v) => cell(v, v.total))),
      h('tr', {}, h('th', { scope: 'row' }, 'Previous period'), answer.values.map((v) => cell(v, v.previous_total))))));
}

// The widget's content for `answer` (GET /metrics/{metric}) of the metric `info`: a chart comes
// with its totals, a table has them in its footer.
export function widgetBody(widget, info, answer) {
  const display = displayOf(widget);
  if (display === 'line' || display === 'bar') {
    return h('div', { class: 'chart-widget' }, totalsView(info, answer), chartView(info, answer, display));
  }
  if (display === 'table') return tableView(info, answer);
  return totalsView(info, answer);
}

// The answer's data sources that need reconnecting, with a Connect link to each one's page
// (where an administrator reconnects it); others are told whom to ask.
export function reconnectNotice(answer, canReconnect) {
  const broken = answer.sources.filter((s) => s.health === 'needs_reconnect');
  if (!broken.length) return null;
  return h('div', { class: 'widget-error', role: 'alert' }, broken.map((source) => h('div', { class: 'widget-error-item' },
    h('p', {}, h('strong', {}, `${source.name} needs reconnecting. `),
      `${(source.health_reason || 'Stripe no longer accepts its credentials').replace(/\.?$/, '.')} `,
      'The numbers stop at its last sync.'),
    canReconnect
      ? h('a', { class: 'button small', href: `#/integrations/${encodeURIComponent(source.integration)}`, 'aria-label': `Connect ${source.name}` }, 'Connect')
      : h('p', { class: 'muted small' }, 'Ask an administrator to reconnect it.'))));
}
