// A client's dashboard as the dashboard page and the printable report load it.
import { get } from '../api.js';
import { notify } from '../dom.js';
import { metricCatalog, rangeFromQuery } from '../metrics.js';

// A client's dashboard as stored, with what it takes to show it: the client, its data sources
// and the metric catalog. Shared with the printable report.
export class DashboardData {
  constructor({ client, integrations, widgets, catalog, range }) {
    Object.assign(this, { client, integrations, widgets, catalog, range });
  }

  static async load(clientId, query) {
    const [{ client }, { data: integrations }, dashboard, catalog] = await Promise.all([
      get(`/clients/${encodeURIComponent(clientId)}`),
      get(`/clients/${encodeURIComponent(clientId)}/integrations`),
      get(`/clients/${encodeURIComponent(clientId)}/dashboard`),
      metricCatalog(),
    ]);
    const range = rangeFromQuery(query);
    if (range.problem) notify(range.problem, 'warning');
    return { client, integrations, widgets: dashboard.widgets, catalog, range };
  }

  get clientPath() {
    return `/clients/${encodeURIComponent(this.client.id)}`;
  }

  metric(name) {
    return this.catalog.find((m) => m.name === name) ?? { name, title: name, unit: 'count', at_instant: false };
  }

  sourceName(widget) {
    if (!widget.integration) return 'All data sources';
    return this.integrations.find((i) => i.id === widget.integration)?.name ?? 'A removed data source';
  }

  titleOf(widget) {
    return widget.title || this.metric(widget.metric).title;
  }
}
