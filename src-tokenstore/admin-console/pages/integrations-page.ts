import type { IntegrationInfo } from '../../../src-shared/integrations/integration-info';
import type { Audience } from '../../../src-shared/tokenstore/api';
import type { IntegrationConfig } from '../../db/token-store-repository';
import type { ConsoleGroup, ConsoleUser } from '../console-directory';
import { html, type SafeHtml } from '../html';
import { renderSettingsFields, type SettingsField } from '../settings-form';
import { csrfField, shownTime } from './layout';

/** Names of the directory entries an audience names, for showing it. */
export interface AudienceNames {
  readonly groups: ReadonlyMap<string, ConsoleGroup>;
  readonly users: ReadonlyMap<string, ConsoleUser>;
}

/** An audience in words: "Everyone", "Groups: Sales, Support", "Users: Alex Wilber". */
export function audienceText(audience: Audience, names: AudienceNames): string {
  if (audience.kind === 'all') return 'Everyone';
  if (audience.kind === 'groups')
    return `Groups: ${audience.groups.map((id) => names.groups.get(id.toLowerCase())?.name ?? `unknown group ${id}`).join(', ')}`;
  return `Users: ${audience.users.map((id) => names.users.get(id.toLowerCase())?.fullName ?? `unknown user ${id}`).join(', ')}`;
}

/** The Integrations page: every integration of the catalog, configured or not. */
export function integrationsList(options: {
  readonly catalog: readonly IntegrationInfo[];
  readonly configs: readonly IntegrationConfig[];
  readonly names: AudienceNames;
  readonly csrf: string;
}): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Integration</th>
        <th scope="col">State</th>
        <th scope="col">Who may use it</th>
        <th scope="col">Pinned targets</th>
        <th scope="col">Changed</th>
        <th scope="col"><span class="muted">Actions</span></th>
      </tr>
    </thead>
    <tbody>
      ${options.catalog.map((info) => {
        const config = options.configs.find((candidate) => candidate.id === info.id);
        const targets = config
          ? info.pinnedTargets(config.settings).map((target) => target.label)
          : [];
        return html`<tr aria-label="${info.name}">
          <th scope="row">${info.name}</th>
          <td>${config ? (config.enabled ? 'Enabled' : 'Disabled') : 'Not set up'}</td>
          <td>${config ? audienceText(config.audience, options.names) : '—'}</td>
          <td>${targets.length ? targets.join(', ') : '—'}</td>
          <td>${config ? shownTime(config.updatedAt) : '—'}</td>
          <td>
            <a href="/admin/integrations/${info.id}">Configure ${info.name}</a>
            ${
              config?.enabled
                ? html`<form method="post" action="/admin/integrations/${info.id}/disable">
                    ${csrfField(options.csrf)}
                    <button type="submit">Disable ${info.name}</button>
                  </form>`
                : ''
            }
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** An integration's form as the admin is filling it in. */
export interface IntegrationDraft {
  readonly enabled: boolean;
  readonly kind: Audience['kind'];
  readonly groups: readonly string[];
  readonly users: readonly string[];
  readonly fields: readonly SettingsField[];
  readonly find: string;
}

/**
 * One integration's form: enabled, the audience picker (everyone, groups or users chosen from the
 * synced directory by searching it), and the settings generated from the integration's schema. The
 * Search button posts the draft back without saving, so nothing typed is lost and no script is needed.
 */
export function integrationForm(options: {
  readonly info: IntegrationInfo;
  readonly draft: IntegrationDraft;
  readonly names: AudienceNames;
  readonly found:
    | { readonly groups: readonly ConsoleGroup[]; readonly users: readonly ConsoleUser[] }
    | undefined;
  readonly directoryAvailable: boolean;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  readonly csrf: string;
}): SafeHtml {
  const { info, draft, names } = options;
  const groupChoices = mergeChoices(
    draft.groups.map(
      (id) =>
        names.groups.get(id.toLowerCase()) ?? {
          objectId: id,
          name: `Unknown group ${id}`,
          memberCount: 0,
        },
    ),
    (options.found?.groups ?? []).filter((group) => group.objectId),
    (group) => group.objectId ?? '',
  );
  const userChoices = mergeChoices(
    draft.users.map(
      (id) =>
        names.users.get(id.toLowerCase()) ?? {
          objectId: id,
          fullName: `Unknown user ${id}`,
          email: null,
          status: 'active' as const,
          inactiveReason: null,
          syncedAt: '',
        },
    ),
    (options.found?.users ?? []).filter((user) => user.objectId),
    (user) => user.objectId ?? '',
  );
  const chosen = (list: readonly string[], id: string | null) =>
    id !== null && list.some((candidate) => candidate.toLowerCase() === id.toLowerCase());
  const audienceIssues = options.issues.filter((issue) => issue.path.startsWith('audience'));
  return html`<form method="post" action="/admin/integrations/${info.id}">
    ${csrfField(options.csrf)}
    <p>${info.description}</p>
    <fieldset>
      <legend>State</legend>
      <label
        ><input type="checkbox" name="enabled" ${draft.enabled ? html`checked` : ''} />
        Enabled</label
      >
    </fieldset>
    <fieldset>
      <legend>Who may use it</legend>
      ${(['all', 'groups', 'users'] as const).map(
        (kind) =>
          html`<label
            ><input
              type="radio"
              name="audience"
              value="${kind}"
              ${draft.kind === kind ? html`checked` : ''}
            />
            ${kind === 'all' ? 'Everyone in the organisation' : kind === 'groups' ? 'Members of the groups chosen below' : 'The users chosen below'}</label
          >`,
      )}
      ${
        options.directoryAvailable
          ? html`<p>
              <label
                >Find groups or users
                <input type="search" name="find" value="${draft.find}" placeholder="Name or email"
              /></label>
              <button type="submit" name="intent" value="search">Search the directory</button>
            </p>`
          : html`<p class="muted">
              The directory is not synced yet: set up Directory sync to choose groups and users by
              name.
            </p>`
      }
      ${
        options.found && options.found.groups.length + options.found.users.length === 0
          ? html`<p role="status">Nothing in the directory matches “${draft.find}”.</p>`
          : ''
      }
      <div role="group" aria-label="Groups">
        <h2>Groups</h2>
        ${
          groupChoices.length
            ? groupChoices.map(
                (group) =>
                  html`<label
                    ><input
                      type="checkbox"
                      name="group"
                      value="${group.objectId}"
                      ${chosen(draft.groups, group.objectId) ? html`checked` : ''}
                    />
                    ${group.name} <span class="muted">(${group.memberCount} members)</span></label
                  >`,
              )
            : html`<p class="muted">None chosen; search to find groups.</p>`
        }
      </div>
      <div role="group" aria-label="Users">
        <h2>Users</h2>
        ${
          userChoices.length
            ? userChoices.map(
                (user) =>
                  html`<label
                    ><input
                      type="checkbox"
                      name="user"
                      value="${user.objectId}"
                      ${chosen(draft.users, user.objectId) ? html`checked` : ''}
                    />
                    ${user.fullName} <span class="muted">${user.email ?? ''}</span></label
                  >`,
              )
            : html`<p class="muted">None chosen; search to find users.</p>`
        }
      </div>
      ${
        audienceIssues.length
          ? html`<ul class="issues">
              ${audienceIssues.map((issue) => html`<li>${issue.message}</li>`)}
            </ul>`
          : ''
      }
    </fieldset>
    <fieldset>
      <legend>Settings</legend>
      ${renderSettingsFields(draft.fields, options.issues)}
    </fieldset>
    <p>
      <button type="submit" name="intent" value="save">Save ${info.name}</button>
      <a href="/admin/integrations">Cancel</a>
    </p>
  </form>`;
}

/** The chosen entries first, then the search's others, each once. */
function mergeChoices<T>(
  chosen: readonly T[],
  found: readonly T[],
  idOf: (item: T) => string,
): T[] {
  const seen = new Set(chosen.map((item) => idOf(item).toLowerCase()));
  return [...chosen, ...found.filter((item) => !seen.has(idOf(item).toLowerCase()))];
}
