import type { ConsoleSyncRun, ConsoleSyncStatus } from '../console-directory';
import { html, type SafeHtml } from '../html';
import { csrfField, shownTime } from './layout';

/** The Directory sync page: status and counts, "Sync now", the last runs, and the settings form. */
export function directoryPage(options: {
  readonly status: ConsoleSyncStatus;
  readonly runs: readonly ConsoleSyncRun[];
  readonly settingsJson: string;
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
    <form method="post" action="/admin/directory/settings">
      ${csrfField(options.csrf)}
      <p>
        <label for="directory-settings"
          >Settings (JSON; secrets are named by where they live, never pasted)</label
        ><br />
        <textarea id="directory-settings" name="settings" rows="16" cols="80">
${options.settingsJson}</textarea>
      </p>
      ${
        options.issues.length
          ? html`<ul class="issues">
              ${options.issues.map((issue) => html`<li>${issue.path}: ${issue.message}</li>`)}
            </ul>`
          : ''
      }
      <button type="submit">Save directory settings</button>
    </form>`;
}
