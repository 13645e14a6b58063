import type { ConsoleSyncRun, ConsoleSyncStatus } from '../console-directory';
import { html, type SafeHtml } from '../html';
import type { DirectorySettingsDraft, SecretDraft } from '../directory-settings-form';
import { csrfField, shownTime } from './layout';

/** The Directory sync page: status and counts, "Sync now", the last runs, and the settings form. */
export function directoryPage(options: {
  readonly status: ConsoleSyncStatus;
  readonly runs: readonly ConsoleSyncRun[];
  readonly draft: DirectorySettingsDraft;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  readonly csrf: string;
}): SafeHtml {
  const { status } = options;
  return html`<section aria-label="Status">
      <div class="counts">
        <div>Active users: <strong>${status.users.active}</strong></div>
        <div>Inactive users: <strong>${status.users.inactive}</strong></div>
        <div>Groups: <strong>${status.groups}</strong></div>
      </div>
      <p>
        ${status.configured ? (status.enabled ? 'Scheduled sync is on.' : 'Scheduled sync is off.') : 'Not set up yet.'}
        Last success: ${shownTime(status.lastSuccessAt)}. Next run: ${shownTime(status.nextRunAt)}.
      </p>
      <form method="post" action="/admin/directory/sync">
        ${csrfField(options.csrf)}
        <button type="submit" ${status.configured ? '' : html`disabled`}>Sync now</button>
      </form>
    </section>
    <h2>Last runs</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Kind</th>
          <th scope="col">Trigger</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Updated</th>
          <th scope="col">Deactivated</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        ${
          options.runs.length
            ? options.runs.map(
                (run) =>
                  html`<tr aria-label="Run ${shownTime(run.startedAt)}">
                    <td>${shownTime(run.startedAt)}</td>
                    <td>${run.kind}</td>
                    <td>${run.trigger}</td>
                    <td>${run.status}</td>
                    <td>${run.created}</td>
                    <td>${run.updated}</td>
                    <td>${run.deactivated}</td>
                    <td class="error-text">
                      ${run.error ? `${run.error.message} (${run.error.code})` : ''}${run.note ? html`<span class="muted"> ${run.note}</span>` : ''}
                    </td>
                  </tr>`,
              )
            : html`<tr>
                <td colspan="8">No runs yet.</td>
              </tr>`
        }
      </tbody>
    </table>
    <h2>Settings</h2>
    ${settingsForm(options.draft, options.issues, options.csrf)}`;
}

const secretField = (prefix: string, label: string, value: SecretDraft, optional = false) =>
  html`<p>
    ${label}${optional ? ' (optional)' : ''}:
    <label
      ><select name="${prefix}.from" aria-label="${label}: where it lives">
        <option value="file" ${value.from === 'file' ? html`selected` : ''}>
          File in the secrets folder
        </option>
        <option value="env" ${value.from === 'env' ? html`selected` : ''}>
          Environment variable
        </option>
      </select></label
    >
    <label
      ><span class="muted">named</span>
      <input type="text" name="${prefix}.name" value="${value.name}" aria-label="${label}: name"
    /></label>
  </p>`;

/** The settings form: the credential is named by where it lives, never pasted. */
function settingsForm(
  draft: DirectorySettingsDraft,
  issues: readonly { readonly path: string; readonly message: string }[],
  csrf: string,
): SafeHtml {
  const text = (name: string, label: string, value: string, hint = '') =>
    html`<p>
      <label
        >${label}
        <input type="text" name="${name}" value="${value}" size="50" />
        ${hint ? html`<span class="muted">${hint}</span>` : ''}</label
      >
    </p>`;
  return html`<form method="post" action="/admin/directory/settings">
    ${csrfField(csrf)}
    ${
      issues.length
        ? html`<ul class="issues" role="alert">
            ${issues.map((issue) => html`<li>${issue.path}: ${issue.message}</li>`)}
          </ul>`
        : ''
    }
    <fieldset>
      <legend>Source</legend>
      <p>
        <label
          ><input type="checkbox" name="enabled" ${draft.enabled ? html`checked` : ''} /> Sync on
          schedule and on request</label
        >
      </p>
      ${text('orgUrl', 'Dynamics 365 org URL', draft.orgUrl, 'https://<org>.crm<N>.dynamics.com')}
      ${text('tenantId', 'Tenant id', draft.tenantId)}
      ${text('clientId', 'Sync app (client) id', draft.clientId)}
      ${text('authorityHost', 'Authority', draft.authorityHost, 'default https://login.microsoftonline.com')}
    </fieldset>
    <fieldset>
      <legend>Credential</legend>
      <label
        ><input
          type="radio"
          name="credential"
          value="certificate"
          ${draft.credential === 'certificate' ? html`checked` : ''}
        />
        Certificate (preferred)</label
      >
      <label
        ><input
          type="radio"
          name="credential"
          value="secret"
          ${draft.credential === 'secret' ? html`checked` : ''}
        />
        Client secret</label
      >
      ${secretField('privateKey', 'Private key (PEM)', draft.privateKey)}
      ${secretField('certificate', 'Certificate (PEM)', draft.certificate)}
      ${secretField('secret', 'Client secret', draft.secret)}
    </fieldset>
    <fieldset>
      <legend>Schedule</legend>
      ${text('everyHours', 'Every (hours)', draft.everyHours, 'default 168, weekly')}
      ${text('pageSize', 'Rows per page', draft.pageSize, 'default 1000, at most 5000')}
      <p>
        <label
          ><input type="checkbox" name="syncTeams" ${draft.syncTeams ? html`checked` : ''} /> Sync
          teams and their members (for group audiences)</label
        >
      </p>
      ${secretField('webhookKey', 'Webhook key', draft.webhookKey, true)}
    </fieldset>
    <button type="submit">Save directory settings</button>
  </form>`;
}
