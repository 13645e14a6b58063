import { auditActions, type AuditEntry } from '../../../src-shared/tokenstore/api';
import { html, type SafeHtml } from '../html';
import { shownTime } from './layout';

/** The Audit page's filter as the admin typed it (echoed back into the form). */
export interface AuditFilterForm {
  readonly user: string;
  readonly action: string;
  readonly integration: string;
  readonly from: string;
  readonly to: string;
}

/** An audit entry's before/after in a line: what changed, as JSON. */
export function detailText(entry: AuditEntry): string {
  if (!entry.detail) return '';
  return `before: ${JSON.stringify(entry.detail.before)} → after: ${JSON.stringify(entry.detail.after)}`;
}

/** The Audit page: the filter, the entries (people by name), paging, the CSV export. */
export function auditPage(options: {
  readonly form: AuditFilterForm;
  readonly integrations: readonly { readonly id: string; readonly name: string }[];
  readonly entries: readonly AuditEntry[];
  readonly nameOf: (oid: string | null) => string;
  readonly query: string;
  readonly next: string | undefined;
  readonly userChoices: readonly { readonly objectId: string; readonly label: string }[];
}): SafeHtml {
  const { form } = options;
  return html`<form method="get" action="/admin/audit" class="filters" role="search">
      <label
        >User
        <input
          type="search"
          name="user"
          value="${form.user}"
          placeholder="Name, email or object id"
      /></label>
      <label
        >Action
        <select name="action">
          <option value="">Any</option>
          ${auditActions.map(
            (action) =>
              html`<option value="${action}" ${form.action === action ? html`selected` : ''}>
                ${action}
              </option>`,
          )}
        </select></label
      >
      <label
        >Integration
        <select name="integration">
          <option value="">Any</option>
          ${options.integrations.map(
            (info) =>
              html`<option value="${info.id}" ${form.integration === info.id ? html`selected` : ''}>
                ${info.name}
              </option>`,
          )}
        </select></label
      >
      <label>From (UTC) <input type="datetime-local" name="from" value="${form.from}" /></label>
      <label>To (UTC) <input type="datetime-local" name="to" value="${form.to}" /></label>
      <button type="submit">Filter</button>
      <a href="/admin/audit.csv?${options.query}" download>Export CSV</a>
    </form>
    ${
      options.userChoices.length
        ? html`<p role="status">
            Several people match “${form.user}”; choose one:
            ${options.userChoices.map(
              (choice) =>
                html`<a
                  href="/admin/audit?${new URLSearchParams({ ...form, user: choice.objectId }).toString()}"
                  >${choice.label}</a
                > `,
            )}
          </p>`
        : ''
    }
    <table>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          <th scope="col">Integration</th>
          <th scope="col">User acted on</th>
          <th scope="col">Outcome</th>
          <th scope="col">Before → after</th>
        </tr>
      </thead>
      <tbody>
        ${
          options.entries.length
            ? options.entries.map(
                (entry) =>
                  html`<tr>
                    <td>${shownTime(entry.at)}</td>
                    <td>${options.nameOf(entry.actorId)}</td>
                    <td>${entry.action}</td>
                    <td>
                      ${entry.integration ?? ''}${entry.connection ? ` · ${entry.connection}` : ''}
                    </td>
                    <td>${options.nameOf(entry.targetUserId)}</td>
                    <td>${entry.outcome}</td>
                    <td><code>${detailText(entry)}</code></td>
                  </tr>`,
              )
            : html`<tr>
                <td colspan="7">No entries match.</td>
              </tr>`
        }
      </tbody>
    </table>
    ${
      options.next
        ? html`<p>
            <a href="/admin/audit?${options.query}&amp;before=${options.next}">Older entries</a>
          </p>`
        : ''
    }`;
}
