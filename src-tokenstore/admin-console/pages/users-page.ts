import type { UserIntegrationUse } from '../../db/token-store-repository';
import type { ConsoleUser } from '../console-directory';
import { html, type SafeHtml } from '../html';
import { csrfField, shownTime } from './layout';

/** A row of the Users page: a synced user (or, without a directory, a user the store has seen). */
export interface UserRow {
  readonly objectId: string | null;
  readonly user: ConsoleUser | undefined;
  readonly uses: readonly UserIntegrationUse[];
}

const nameOfIntegration = (names: ReadonlyMap<string, string>, id: string) => names.get(id) ?? id;

/** The Users page: the directory with status, last sync, connected integrations, and revoke. */
export function usersPage(options: {
  readonly rows: readonly UserRow[];
  readonly search: string;
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly integrationNames: ReadonlyMap<string, string>;
  readonly directoryAvailable: boolean;
}): SafeHtml {
  const { offset, limit, total } = options;
  const page = (at: number) =>
    `/admin/users?${new URLSearchParams({ search: options.search, offset: String(at) }).toString()}`;
  return html`${
      options.directoryAvailable
        ? ''
        : html`<p class="muted">
            The directory is not synced yet: only users who have used Workstation are listed, by
            object id.
          </p>`
    }
    <form method="get" action="/admin/users" class="filters" role="search">
      <label
        >Find
        <input type="search" name="search" value="${options.search}" placeholder="Name or email"
      /></label>
      <button type="submit">Search</button>
    </form>
    <table>
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Status</th>
          <th scope="col">Last sync</th>
          <th scope="col">Connected</th>
          <th scope="col"><span class="muted">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${
          options.rows.length
            ? options.rows.map((row) => {
                const name = row.user?.fullName ?? row.objectId ?? 'unknown';
                return html`<tr aria-label="${name}">
                  <th scope="row">
                    ${name}<br /><span class="muted">${row.user?.email ?? row.objectId ?? ''}</span>
                  </th>
                  <td class="status-${row.user?.status ?? 'active'}">
                    ${
                      row.user
                        ? row.user.status === 'active'
                          ? 'Active'
                          : `Inactive (${row.user.inactiveReason ?? 'unknown'})`
                        : 'Not in the synced directory'
                    }
                  </td>
                  <td>${shownTime(row.user?.syncedAt ?? null)}</td>
                  <td>
                    ${
                      row.uses.length
                        ? html`<ul>
                            ${row.uses.map(
                              (use) =>
                                html`<li>
                                  ${nameOfIntegration(options.integrationNames, use.integration)}
                                  (${use.connections}
                                  ${use.connections === 1 ? 'connection' : 'connections'}), last
                                  used ${shownTime(use.lastUsedAt)}
                                </li>`,
                            )}
                          </ul>`
                        : html`<span class="muted">Nothing connected</span>`
                    }
                  </td>
                  <td>
                    ${
                      row.objectId && row.uses.length
                        ? html`<a href="/admin/users/${row.objectId}/revoke"
                            >Revoke ${name}’s sign-ins…</a
                          >`
                        : ''
                    }
                  </td>
                </tr>`;
              })
            : html`<tr>
                <td colspan="5">No users match.</td>
              </tr>`
        }
      </tbody>
    </table>
    <p>
      ${offset + 1 > total ? '' : `Users ${offset + 1}–${Math.min(offset + limit, total)} of ${total}. `}
      ${offset > 0 ? html`<a href="${page(Math.max(0, offset - limit))}">Previous</a> ` : ''}
      ${offset + limit < total ? html`<a href="${page(offset + limit)}">Next</a>` : ''}
    </p>`;
}

/** The confirmation before a revoke: what will be deleted, and what a revoke does not do. */
export function revokeConfirmation(options: {
  readonly objectId: string;
  readonly name: string;
  readonly uses: readonly UserIntegrationUse[];
  readonly integrationNames: ReadonlyMap<string, string>;
  readonly csrf: string;
}): SafeHtml {
  return html`<p>
      This deletes ${options.name}’s stored sign-ins at once: Workstation asks them to connect
      again. It does not keep them out; to do that, take them out of the integration’s audience.
    </p>
    <form method="post" action="/admin/users/${options.objectId}/revoke">
      ${csrfField(options.csrf)}
      <fieldset>
        <legend>Revoke</legend>
        <label><input type="radio" name="integration" value="" checked /> Every integration</label>
        ${options.uses.map(
          (use) =>
            html`<label
              ><input type="radio" name="integration" value="${use.integration}" />
              ${nameOfIntegration(options.integrationNames, use.integration)} only</label
            >`,
        )}
      </fieldset>
      <p>
        <button type="submit">Revoke ${options.name}’s sign-ins</button>
        <a href="/admin/users">Cancel</a>
      </p>
    </form>`;
}
