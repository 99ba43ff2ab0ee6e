// A client's dashboard: widgets (a number with its change against the previous period, a line or
// bar chart, a table), each a metric of one of the client's data sources or of all of them, for
// the dates of the page's date selector (presets or a custom range, kept in the address so a
// reload or a shared link shows the same). Refresh syncs the data sources and reloads the
// numbers. Administrators and members add, edit, remove and arrange widgets (saved per client at
// once); viewers only look. Export CSV and the printable report use the same dates.
import { put } from '../api.js';
import { h, notify, pageHeader, busy, confirmDialog, selectField, field, linkButton, timeElement, focusKey, findByFocusKey } from '../dom.js';
import { currentUser, isAdmin } from '../session.js';
import {
  PRESETS, INTERVALS, loadMetric, syncAndWait, rangeFromQuery, rangeToQuery, rangeText, addDays,
} from '../metrics.js';
import { DISPLAYS, WIDTHS, displayOf, widthOf, kindOf, widgetBody, reconnectNotice, destroyCharts } from '../widgets.js';
import { DashboardData } from '../components/dashboard_data.js';

const canEditDashboards = () => currentUser()?.role !== 'viewer';

// A small button showing a symbol; its name (also its tooltip) says what it does.
function iconButton(label, symbol, onclick, { disabled = false, kind = 'secondary' } = {}) {
  return h('button', { type: 'button', class: `button ${kind} small icon`, 'aria-label': label, title: label, disabled, onclick },
    h('span', { 'aria-hidden': 'true' }, symbol));
}

// The dashboard page: its state and the pieces that redraw when it changes.
class Dashboard extends DashboardData {
  constructor(data) {
    super(data);
    this.answers = new Map(); // widget id -> Promise of its answer for this.range
    this.grid = h('ol', { class: 'widget-grid', 'aria-label': 'Widgets' });
    this.status = h('p', { class: 'dashboard-status muted', 'aria-live': 'polite' });
    this.widgetLinks = []; // shown only when there are widgets
  }

  // The integrations a widget reads: its own, or every one of the client.
  sourcesOf(widget) {
    return widget.integration ? this.integrations.filter((i) => i.id === widget.integration) : this.integrations;
  }

  answerFor(widget) {
    if (!this.answers.has(widget.id)) {
      const answer = loadMetric(widget, this.client.id, this.range);
      answer.catch(() => {}); // shown by the widget; not an unhandled rejection
      this.answers.set(widget.id, answer);
    }
    return this.answers.get(widget.id);
  }

  // ---- The widgets ----

  drawGrid() {
    destroyCharts(this.grid);
    for (const link of this.widgetLinks) link.hidden = !this.widgets.length;
    if (!this.widgets.length) {
      this.grid.replaceChildren(h('li', { class: 'empty-state widget-empty' },
        h('p', {}, canEditDashboards()
          ? 'This dashboard has no widgets yet. Add one to see a metric of this client\'s Stripe accounts.'
          : 'This dashboard has no widgets yet.'),
        canEditDashboards() && this.integrations.length ? this.addWidgetButton() : null));
      return;
    }
    this.grid.replaceChildren(...this.widgets.map((widget, index) => this.widgetCard(widget, index)));
  }

  widgetCard(widget, index) {
    const title = this.titleOf(widget);
    const info = this.metric(widget.metric);
    const body = h('div', { class: 'widget-body' }, h('p', { class: 'loading' }, 'Loading…'));
    const notice = h('div', { class: 'widget-notice' });
    const footer = h('p', { class: 'widget-footer muted small' });
    const card = h('li', { class: `card widget widget-${displayOf(widget)} widget-${widthOf(widget)}`, 'data-widget-id': widget.id, 'aria-busy': 'true' });
    const refresh = iconButton(`Refresh ${title}`, '⟳', () => busy(refresh, () => this.refresh([widget])));
    refresh.title = 'Sync its data sources and reload';
    const editing = canEditDashboards() ? [
      iconButton(`Move ${title} earlier`, '↑', () => this.move(index, -1), { disabled: index === 0 }),
      iconButton(`Move ${title} later`, '↓', () => this.move(index, +1), { disabled: index === this.widgets.length - 1 }),
      iconButton(`Edit ${title}`, '✎', () => this.widgetDialog(widget)),
      iconButton(`Remove ${title}`, '✕', () => this.remove(widget), { kind: 'danger-outline' }),
    ] : [];
    if (canEditDashboards()) this.makeDraggable(card, index);
    card.append(
      h('div', { class: 'widget-header' },
        h('div', {},
          h('h2', { class: 'widget-title' }, title),
          h('p', { class: 'widget-source muted small' }, `${this.sourceName(widget)} · ${info.title}`)),
        h('div', { class: 'widget-actions' }, refresh, editing)),
      notice, body, footer);
    this.fill(widget, info, { card, body, notice, footer });
    return card;
  }

  async fill(widget, info, { card, body, notice, footer }) {
    if (widget.integration && !this.integrations.some((i) => i.id === widget.integration)) {
      body.replaceChildren(h('div', { class: 'widget-error', role: 'alert' }, h('p', {},
        canEditDashboards()
          ? 'Its data source was removed from this client. Edit the widget to choose another, or remove it.'
          : 'Its data source was removed from this client.')));
      card.removeAttribute('aria-busy');
      return;
    }
    try {
      const answer = await this.answerFor(widget);
      destroyCharts(body);
      notice.replaceChildren(reconnectNotice(answer, isAdmin()) ?? '');
      body.replaceChildren(widgetBody(widget, info, answer));
      footer.replaceChildren(...[
        answer.as_of ? h('span', {}, 'Data as of ', timeElement(answer.as_of)) : h('span', {}, 'Not synced yet'),
        answer.approximate ? h('details', { class: 'approximate' },
          h('summary', {}, 'Approximate'),
          h('ul', {}, answer.approximate_reasons.map((r) => h('li', {}, r)))) : null,
      ].filter(Boolean));
    } catch (error) {
      body.replaceChildren(h('div', { class: 'widget-error', role: 'alert' },
        h('p', {}, error.message),
        h('button', {
          type: 'button', class: 'button secondary small',
          onclick: () => {
            this.answers.delete(widget.id);
            card.replaceWith(this.widgetCard(widget, this.widgets.indexOf(widget)));
          },
        }, 'Try again')));
      footer.replaceChildren();
    } finally {
      card.removeAttribute('aria-busy');
    }
  }

  // ---- Changing the widgets (saved at once) ----

  // Saves `widgets` and redraws them. A keyboard on a widget's control stays on that control,
  // else goes to a control of the widget `focusOn` (an id), else to the page's heading.
  async save(widgets, message, focusOn = null) {
    try {
      const answer = await put(`${this.clientPath}/dashboard`, { widgets });
      const focused = focusKey(this.grid);
      this.widgets = answer.widgets;
      this.drawGrid();
      notify(message);
      if (focused) {
        const card = focusOn === null ? null : this.grid.querySelector(`[data-widget-id="${CSS.escape(focusOn)}"]`);
        (findByFocusKey(this.grid, focused) ?? card?.querySelector('.widget-actions button:not([disabled])')
          ?? document.querySelector('main h1'))?.focus({ preventScroll: true });
      }
      return true;
    } catch (error) {
      notify(error.message, 'error');
      return false;
    }
  }

  // Moves the widget at `index` by `step` places (negative: earlier).
  async move(index, step) {
    const widgets = [...this.widgets];
    const [moved] = widgets.splice(index, 1);
    widgets.splice(index + step, 0, moved);
    // At an end, the same Move button is disabled: the keyboard goes to another of the widget's.
    await this.save(widgets, `${this.titleOf(moved)} moved`, moved.id);
  }

  // Arranging with the mouse: a widget dragged onto another takes its place (the Move buttons
  // do the same from the keyboard).
  makeDraggable(card, index) {
    card.draggable = true;
    card.addEventListener('dragstart', (event) => {
      event.dataTransfer.setData('text/x-stripeline-widget', String(index));
      event.dataTransfer.effectAllowed = 'move';
      card.classList.add('dragging');
    });
    card.addEventListener('dragend', () => card.classList.remove('dragging'));
    card.addEventListener('dragover', (event) => {
      if (!event.dataTransfer.types.includes('text/x-stripeline-widget')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      card.classList.add('drop-target');
    });
    card.addEventListener('dragleave', () => card.classList.remove('drop-target'));
    card.addEventListener('drop', (event) => {
      event.preventDefault();
      card.classList.remove('drop-target');
      const from = Number(event.dataTransfer.getData('text/x-stripeline-widget'));
      if (Number.isInteger(from) && from !== index) this.move(from, index - from);
    });
  }

  async remove(widget) {
    const { confirmed } = await confirmDialog({
      title: 'Remove widget?',
      body: `${this.titleOf(widget)} will no longer be on ${this.client.name}'s dashboard. The data stays.`,
      confirmLabel: 'Remove widget', danger: true,
    });
    if (confirmed) await this.save(this.widgets.filter((w) => w !== widget), 'Widget removed');
  }

  addWidgetButton() {
    return h('button', { type: 'button', class: 'button', onclick: () => this.widgetDialog() }, 'Add widget');
  }

  // The dialog that adds a widget, or changes `existing` (kept in its place, with its id).
  async widgetDialog(existing = null) {
    const source = selectField({
      label: 'Data source', name: 'widget_source', value: existing?.integration ?? '',
      options: [['', 'All data sources of this client'], ...this.integrations.map((i) => [i.id, i.name])],
    });
    const metric = selectField({
      label: 'Metric', name: 'widget_metric', value: existing?.metric ?? 'gross_volume',
      options: this.catalog.map((m) => [m.name, m.title, m.at_instant ? 'Subscriptions' : 'Payments']),
    });
    const display = selectField({
      label: 'Show as', name: 'widget_display', value: existing ? displayOf(existing) : 'number',
      options: DISPLAYS.map(([name, text]) => [name, text]),
    });
    const width = selectField({
      label: 'Width', name: 'widget_width', value: existing ? widthOf(existing) : 'normal', options: WIDTHS,
      help: 'Wide takes two columns of the grid (on a phone every widget is as wide as the screen).',
    });
    // A new widget's width follows its display until the user picks one.
    let widthChosen = existing !== null;
    width.input.addEventListener('change', () => { widthChosen = true; });
    display.input.addEventListener('change', () => {
      if (!widthChosen) width.input.value = display.input.value === 'number' ? 'normal' : 'wide';
    });
    const title = field({ label: 'Title', name: 'widget_title', value: existing?.title ?? '', help: 'Empty: the metric\'s name.' });
    const definition = h('p', { class: 'help definition', 'aria-live': 'polite' });
    const describe = () => { definition.textContent = this.metric(metric.input.value).definition ?? ''; };
    metric.input.addEventListener('change', describe);
    describe();
    const action = existing ? 'Save widget' : 'Add widget';
    const { confirmed } = await confirmDialog({
      title: existing ? 'Edit widget' : 'Add widget',
      body: `A metric of ${this.client.name}'s Stripe data, for the dates of the page.`,
      confirmLabel: action,
      extra: h('div', { class: 'dialog-fields' }, source.wrapper, metric.wrapper, definition, display.wrapper, width.wrapper, title.wrapper),
    });
    if (!confirmed) return;
    const widget = {
      ...(existing ? { id: existing.id } : {}),
      metric: metric.input.value,
      integration: source.input.value || null,
      title: title.input.value.trim(),
      ...kindOf(display.input.value, width.input.value),
    };
    if (existing) {
      this.answers.delete(existing.id);
      await this.save(this.widgets.map((w) => (w === existing ? widget : w)), 'Widget saved', existing.id);
    } else if (await this.save([...this.widgets, widget], 'Widget added')) {
      this.grid.lastElementChild?.querySelector('.widget-title')?.scrollIntoView({ block: 'nearest' });
    }
  }

  // ---- Dates and refresh ----

  setRange(range) {
    this.range = range;
    this.answers.clear();
    const query = rangeToQuery(range);
    // The address keeps the dates (reload, bookmarks) without re-rendering the page.
    history.replaceState(null, '', `#${this.clientPath}/dashboard?${query}`);
    for (const [link, hrefOf] of this.dateLinks) link.href = hrefOf(range);
    this.rangeLabel.textContent = rangeText(range);
    this.drawGrid();
  }

  // Syncs the data sources `widgets` read (active ones; viewers cannot start a sync, so for them
  // this only reloads), then reloads those widgets.
  async refresh(widgets) {
    const sources = new Map();
    for (const widget of widgets) for (const i of this.sourcesOf(widget)) sources.set(i.id, i);
    const active = [...sources.values()].filter((i) => i.active);
    let failures = [];
    if (canEditDashboards() && active.length) {
      this.status.textContent = `Syncing ${active.length === 1 ? active[0].name : `${active.length} data sources`}…`;
      try {
        failures = await syncAndWait(active);
      } catch (error) { // Stripeline unreachable, or the session ended (then the login follows)
        failures = [{ integration: { name: 'Stripeline' }, error }];
      }
    }
    for (const widget of widgets) this.answers.delete(widget.id);
    if (widgets.length === this.widgets.length) {
      this.drawGrid();
    } else {
      for (const widget of widgets) {
        const card = this.grid.querySelector(`[data-widget-id="${CSS.escape(widget.id)}"]`);
        if (card) {
          destroyCharts(card);
          card.replaceWith(this.widgetCard(widget, this.widgets.indexOf(widget)));
        }
      }
    }
    this.status.textContent = '';
    if (failures.length) {
      notify('Some data sources could not be synced; their widgets show what was synced before.', 'warning',
        failures.map(({ integration, error }) => `${integration.name}: ${error.message}`));
    } else {
      notify(active.length && canEditDashboards() ? 'Data refreshed' : 'Numbers reloaded', 'success');
    }
  }

  dateSelector() {
    const preset = selectField({
      label: 'Dates', name: 'date_range', value: this.range.preset,
      options: [...PRESETS.map(([name, text]) => [name, text]), ['custom', 'Custom range']],
    });
    const interval = selectField({ label: 'Group by', name: 'interval', value: this.range.interval, options: INTERVALS });
    const from = field({ label: 'From', name: 'range_from', type: 'date', value: this.range.from, required: true });
    const through = field({ label: 'Through', name: 'range_through', type: 'date', value: addDays(this.range.to, -1), required: true });
    const apply = h('button', { type: 'submit', class: 'button secondary' }, 'Apply');
    const custom = h('form', { class: 'custom-range', novalidate: true, 'aria-label': 'Custom range', hidden: this.range.preset !== 'custom' },
      from.wrapper, through.wrapper, h('div', { class: 'actions' }, apply));
    preset.input.addEventListener('change', () => {
      if (preset.input.value === 'custom') {
        custom.hidden = false;
        from.input.focus();
        return;
      }
      custom.hidden = true;
      const query = new URLSearchParams({ range: preset.input.value });
      const range = rangeFromQuery(query);
      interval.input.value = range.interval;
      this.setRange(range);
    });
    interval.input.addEventListener('change', () => this.setRange({ ...this.range, interval: interval.input.value }));
    custom.addEventListener('submit', (event) => {
      event.preventDefault();
      from.clearError();
      through.clearError();
      const [start, last] = [from.input.value, through.input.value];
      if (!start) return from.showError('Choose the first day.');
      if (!last) return through.showError('Choose the last day.');
      if (last < start) return through.showError('The last day comes before the first.');
      const query = new URLSearchParams({ from: start, to: addDays(last, 1) });
      const range = rangeFromQuery(query);
      interval.input.value = range.interval;
      this.setRange(range);
      return undefined;
    });
    const refresh = h('button', { type: 'button', class: 'button' }, 'Refresh');
    refresh.addEventListener('click', () => busy(refresh, () => this.refresh(this.widgets)));
    this.rangeLabel = h('span', {}, rangeText(this.range));
    return h('section', { class: 'card date-bar', 'aria-label': 'Date selector' },
      h('div', { class: 'date-bar-row' }, preset.wrapper, interval.wrapper,
        h('p', { class: 'range-text muted small' }, this.rangeLabel, ` · times in ${this.range.tz}`),
        h('div', { class: 'actions' }, refresh)),
      custom, this.status);
  }

  page() {
    // Links that follow the page's dates.
    this.dateLinks = [];
    const keepsDates = (text, hrefOf) => {
      const link = linkButton(hrefOf(this.range), text, 'secondary');
      this.dateLinks.push([link, hrefOf]);
      return link;
    };
    const report = keepsDates('Printable report', (range) => `#${this.clientPath}/report?${rangeToQuery(range)}`);
    const csv = keepsDates('Export CSV', ({ from, to, interval, tz }) =>
      `/api/v1${this.clientPath}/dashboard/export?${new URLSearchParams({ from, to, interval, tz })}`);
    csv.setAttribute('download', '');
    this.widgetLinks = [report, csv];
    return h('section', { class: 'dashboard' },
      h('a', { href: `#${this.clientPath}`, class: 'back' }, `← ${this.client.name}`),
      pageHeader(`${this.client.name} dashboard`, report, csv,
        canEditDashboards() && this.integrations.length ? this.addWidgetButton() : null),
      this.integrations.length ? null : h('div', { class: 'empty-state' },
        h('p', {}, 'No Stripe account is connected to this client yet: its dashboard has nothing to show.'),
        linkButton(`#${this.clientPath}`, 'Go to Data Sources')),
      this.dateSelector(),
      this.grid);
  }
}

export async function dashboardPage({ params, query }) {
  const board = new Dashboard(await DashboardData.load(params[0], query));
  const content = board.page();
  board.drawGrid();
  return content;
}
