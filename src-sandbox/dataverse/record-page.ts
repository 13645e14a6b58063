import type { FastifyInstance } from 'fastify';
import type { Row, SampleData } from '../data/sample-data';
import { entityByLogicalName } from './entity-metadata';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>body{font:15px system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem;color:#1d1f23}h1{font-size:1.4rem;margin:.2rem 0 1rem}p.kind{color:#5c6370;margin:0;text-transform:capitalize}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#5c6370}dd{margin:0}footer{margin-top:2rem;color:#5c6370;font-size:.85rem}</style></head><body>${body}<footer>Sandbox stand-in for the Dynamics 365 record page.</footer></body></html>`;

/** The columns worth showing, in order, leaving out ids and audit columns. */
const shown = (row: Row, primaryName: string, primaryKey: string): [string, string][] =>
  Object.entries(row)
    .filter(
      ([name, value]) =>
        name !== primaryName &&
        name !== primaryKey &&
        !name.startsWith('_') &&
        !name.endsWith('id') &&
        !['versionnumber', 'statecode', 'statuscode'].includes(name) &&
        value !== null &&
        value !== undefined &&
        value !== '',
    )
    .slice(0, 12)
    .map(([name, value]) => [name, String(value)]);

/**
 * `GET /main.aspx?etn=<table>&id=<guid>&pagetype=entityrecord`: the record link search results
 * and tasks carry (https://learn.microsoft.com/power-apps/developer/model-driven-apps/open-forms-views-dialogs-reports-url).
 * Dynamics answers with the model-driven app; the sandbox answers a small HTML page with the
 * record's name and columns, so a demo click lands on a page, not on a JSON 404.
 */
export function registerRecordPage(app: FastifyInstance, data: SampleData): void {
  app.get<{ Querystring: { etn?: string; id?: string } }>('/main.aspx', async (request, reply) => {
    const entity = entityByLogicalName(String(request.query.etn ?? ''));
    const id = String(request.query.id ?? '')
      .replace(/[{}]/g, '')
      .toLowerCase();
    const rows = entity
      ? (data.tables[entity.logicalName as keyof SampleData['tables']] ?? [])
      : [];
    const row = entity
      ? rows.find((candidate) => String(candidate[entity.primaryKey]).toLowerCase() === id)
      : undefined;
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('x-content-type-options', 'nosniff');
    if (!entity || !row)
      return reply
        .code(404)
        .send(
          page(
            'Record not found',
            `<h1>Record not found</h1><p>This sandbox org has no ${escapeHtml(entity?.logicalName ?? 'such')} record with that id.</p>`,
          ),
        );
    const name = String(row[entity.primaryName] ?? '(no name)');
    const rowsHtml = shown(row, entity.primaryName, entity.primaryKey)
      .map(([column, value]) => `<dt>${escapeHtml(column)}</dt><dd>${escapeHtml(value)}</dd>`)
      .join('');
    return reply.send(
      page(
        name,
        `<p class="kind">${escapeHtml(entity.logicalName)}</p><h1>${escapeHtml(name)}</h1><dl>${rowsHtml}</dl>`,
      ),
    );
  });
}
