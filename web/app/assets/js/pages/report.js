// A dashboard as a printable report: the client, the dates and, for every widget in the
// dashboard's order, its totals against the previous period with its chart or table, when the
// data was synced and why a number may be approximate. The browser's Print (or the button)
// prints it without the app's chrome (app.css, @media print).
import { h, pageHeader, formatTime } from '../dom.js';
import { loadMetric, rangeText, rangeToQuery } from '../metrics.js';
import { DashboardData } from '../components/dashboard_data.js';
import { displayOf, totalsView, widgetBody, reconnectNotice } from '../widgets.js';

function reportSection(data, widget, outcome) {
  const info = data.metric(widget.metric);
  const heading = [h('h2', {}, data.titleOf(widget)),
    h('p', { class: 'muted small' }, `${data.sourceName(widget)} · ${info.title}`)];
  if (outcome.status === 'rejected') {
    return h('article', { class: 'card report-widget' }, heading,
      h('p', { class: 'form-error' }, `Not available: ${outcome.reason.message}`));
  }
  const answer = outcome.value;
  const display = displayOf(widget);
  return h('article', { class: 'card report-widget', 'data-widget-id': widget.id }, heading,
    reconnectNotice(answer, false),
    display === 'table' ? totalsView(info, answer) : null,
    widgetBody(widget, info, answer),
    h('p', { class: 'muted small' }, answer.as_of
      ? `Data as of ${formatTime(answer.as_of)}.`
      : 'Not synced yet.'),
    answer.approximate
      ? h('div', { class: 'small' }, h('p', {}, 'Approximate:'), h('ul', {}, answer.approximate_reasons.map((r) => h('li', {}, r))))
      : null);
}

export async function reportPage({ params, query }) {
  const data = new DashboardData(await DashboardData.load(params[0], query));
  const outcomes = await Promise.allSettled(data.widgets.map((w) => loadMetric(w, data.client.id, data.range)));
  const print = h('button', { type: 'button', class: 'button', onclick: () => window.print() }, 'Print');
  return h('section', { class: 'report' },
    h('a', { href: `#${data.clientPath}/dashboard?${rangeToQuery(data.range)}`, class: 'back no-print' }, '← Dashboard'),
    pageHeader(`${data.client.name} report`, h('span', { class: 'no-print' }, print)),
    h('p', { class: 'lead' }, `${rangeText(data.range)} · by ${data.range.interval} · times in ${data.range.tz} · `,
      'each total compared with the period of equal length just before. ',
      `Prepared ${formatTime(Date.now() / 1000)}.`),
    data.widgets.length
      ? data.widgets.map((widget, i) => reportSection(data, widget, outcomes[i]))
      : h('div', { class: 'empty-state' }, h('p', {}, 'This dashboard has no widgets yet: there is nothing to report.')));
}
