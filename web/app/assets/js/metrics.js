// Metrics as the dashboards use them: the catalog (GET /metrics), the date ranges of the date
// selector, one widget's numbers for a range, syncing data sources, and how values read.
import { get, post } from './api.js';

// ---- Dates: ISO dates (YYYY-MM-DD) of the calendar, computed in UTC so no zone shifts them. ----

const isoOf = (date) => date.toISOString().slice(0, 10);
const dateOf = (iso) => new Date(`${iso}T00:00:00Z`);

export function addDays(iso, days) {
  const date = dateOf(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return isoOf(date);
}

function addMonths(iso, months) {
  const date = dateOf(iso);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return isoOf(date);
}

const firstOfMonth = (iso) => `${iso.slice(0, 7)}-01`;
const isIsoDate = (text) => /^\d{4}-\d{2}-\d{2}$/.test(text ?? '') && !Number.isNaN(dateOf(text).getTime())
  && isoOf(dateOf(text)) === text;

// Today's date where the browser is (the zone the numbers are shown in).
export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

// The date selector's presets: [from, to) where `to` is exclusive, as the API takes them. Ranges
// that end "today" include today.
export const PRESETS = [
  ['last_7_days', 'Last 7 days', (t) => [addDays(t, -6), addDays(t, 1)]],
  ['last_30_days', 'Last 30 days', (t) => [addDays(t, -29), addDays(t, 1)]],
  ['last_90_days', 'Last 90 days', (t) => [addDays(t, -89), addDays(t, 1)]],
  ['month_to_date', 'This month', (t) => [firstOfMonth(t), addDays(t, 1)]],
  ['last_month', 'Last month', (t) => [addMonths(firstOfMonth(t), -1), firstOfMonth(t)]],
  ['last_12_months', 'Last 12 months', (t) => [addDays(addMonths(t, -12), 1), addDays(t, 1)]],
  ['year_to_date', 'This year', (t) => [`${t.slice(0, 4)}-01-01`, addDays(t, 1)]],
];
export const DEFAULT_PRESET = 'last_30_days';
export const INTERVALS = [['day', 'Day'], ['week', 'Week'], ['month', 'Month']];

// The interval that keeps a chart readable: days up to three months, then weeks, then months.
function defaultInterval(from, to) {
  const days = (dateOf(to) - dateOf(from)) / 86400000;
  if (days <= 92) return 'day';
  if (days <= 366) return 'week';
  return 'month';
}

// The range a page's query asks for: ?range=<preset> or ?from=&to= (to exclusive), plus
// ?interval=. Anything malformed falls back to the default preset, with `problem` saying why.
export function rangeFromQuery(query, todayIso = today()) {
  const tz = browserTimeZone();
  const interval = INTERVALS.some(([name]) => name === query.get('interval')) ? query.get('interval') : null;
  const from = query.get('from');
  const to = query.get('to');
  if (from || to) {
    if (isIsoDate(from) && isIsoDate(to) && from < to) {
      return { preset: 'custom', from, to, interval: interval ?? defaultInterval(from, to), tz };
    }
    const fallback = rangeFromQuery(new URLSearchParams(), todayIso);
    return { ...fallback, problem: 'The dates in the address were not a valid range; showing the last 30 days.' };
  }
  const preset = PRESETS.find(([name]) => name === query.get('range')) ?? PRESETS.find(([name]) => name === DEFAULT_PRESET);
  const [start, end] = preset[2](todayIso);
  return { preset: preset[0], from: start, to: end, interval: interval ?? defaultInterval(start, end), tz };
}

export function rangeToQuery(range) {
  const query = new URLSearchParams();
  if (range.preset === 'custom') {
    query.set('from', range.from);
    query.set('to', range.to);
  } else {
    query.set('range', range.preset);
  }
  query.set('interval', range.interval);
  return query;
}

// "1 Nov 2026 – 30 Nov 2026" (the last day shown is the day before the exclusive end).
export function rangeText(range) {
  const format = (iso) => dateOf(iso).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  return `${format(range.from)} – ${format(addDays(range.to, -1))}`;
}

// A series bucket's label: "5 Nov" for days and weeks, "Nov 2026" for months.
export function bucketLabel(start, interval) {
  const options = interval === 'month' ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' };
  return dateOf(start).toLocaleDateString(undefined, { ...options, timeZone: 'UTC' });
}

// ---- The catalog and the numbers ----

let catalog = null;

// [{name, title, unit, at_instant, streams, definition}], asked once per page load.
export async function metricCatalog() {
  if (!catalog) {
    catalog = get('/metrics').then((answer) => answer.data).catch((error) => {
      catalog = null;
      throw error;
    });
  }
  return catalog;
}

// GET /metrics/{metric} for a widget: of its integration, or of the whole client.
export function loadMetric(widget, clientId, range) {
  const query = new URLSearchParams({ from: range.from, to: range.to, interval: range.interval, tz: range.tz });
  if (widget.integration) query.set('integration', widget.integration);
  else query.set('client', clientId);
  return get(`/metrics/${encodeURIComponent(widget.metric)}?${query}`);
}

// Starts a sync of each integration and waits until none runs any more (a sync already running
// is waited for too). Resolves to [{integration, error}] for those that could not sync.
export async function syncAndWait(integrations, { timeoutMs = 10 * 60 * 1000 } = {}) {
  const failures = [];
  const waiting = [];
  await Promise.all(integrations.map(async (integration) => {
    try {
      await post(`/integrations/${encodeURIComponent(integration.id)}/sync`);
      waiting.push(integration);
    } catch (error) {
      if (error.code === 'sync_running') waiting.push(integration);
      else failures.push({ integration, error });
    }
  }));
  const deadline = Date.now() + timeoutMs;
  await Promise.all(waiting.map(async (integration) => {
    for (;;) {
      const status = await get(`/integrations/${encodeURIComponent(integration.id)}/sync`);
      if (!status.running) {
        if (status.last_run?.status === 'failed') {
          failures.push({ integration, error: new Error(status.last_run.error || 'The sync failed.') });
        }
        return;
      }
      if (Date.now() > deadline) {
        failures.push({ integration, error: new Error('The sync is still running; the numbers may change when it ends.') });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }));
  return failures;
}

// ---- How values read ----

function currencyFormat(currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() });
  } catch {
    return null; // a code the browser does not know: shown as a plain number with the code
  }
}

// A value of a metric whose unit is `unit`, in `currency` (lowercase, or null), for people:
// "$1,234.56", "¥5,000", "1,234", "9.1 %". Amounts arrive in minor units.
export function formatValue(unit, value, currency) {
  if (value === null || value === undefined) return '—';
  if (unit === 'rate') {
    return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(value);
  }
  if (unit === 'amount' && currency) {
    const format = currencyFormat(currency);
    if (!format) return `${value.toLocaleString()} ${currency.toUpperCase()}`;
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(value / 10 ** digits);
  }
  return Math.round(value).toLocaleString();
}

// The change of `total` against `previous`: {text, direction: up|down|flat|none, compared}
// (compared: the text is a comparison with the previous value, which is worth showing).
export function changeOf(total, previous) {
  if (total === null || previous === null || total === undefined || previous === undefined) {
    return { text: 'No comparison', direction: 'none', compared: false };
  }
  if (previous === 0) {
    return total === 0
      ? { text: 'No change', direction: 'flat', compared: true }
      : { text: 'Nothing in the previous period', direction: 'none', compared: false };
  }
  const change = (total - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.0005) return { text: 'No change', direction: 'flat', compared: true };
  const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'always' }).format(change);
  return { text: percent, direction: change > 0 ? 'up' : 'down', compared: true };
}

export const currencyLabel = (currency) => (currency ? currency.toUpperCase() : 'All');
