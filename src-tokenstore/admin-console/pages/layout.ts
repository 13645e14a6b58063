import { html, type SafeHtml } from '../html';

/** The console's sections, in the order the navigation shows them. */
export const sections = [
  { path: '/admin/integrations', label: 'Integrations' },
  { path: '/admin/users', label: 'Users' },
  { path: '/admin/audit', label: 'Audit' },
  { path: '/admin/directory', label: 'Directory sync' },
] as const;

/** A page of the signed-in console: navigation, who is signed in, sign-out, the content. */
export function consolePage(options: {
  readonly title: string;
  readonly current: string;
  readonly admin: { readonly name: string; readonly csrf: string };
  readonly notice?: { readonly kind: 'ok' | 'error'; readonly text: string };
  readonly body: SafeHtml;
}): SafeHtml {
  return documentOf(
    options.title,
    html`<header class="bar">
        <span class="brand">Workstation admin</span>
        <nav aria-label="Sections">
          <ul>
            ${sections.map(
              (section) =>
                html`<li>
                  <a
                    href="${section.path}"
                    ${section.path === options.current ? html`aria-current="page"` : ''}
                    >${section.label}</a
                  >
                </li>`,
            )}
          </ul>
        </nav>
        <form method="post" action="/admin/sign-out" class="who">
          <span>${options.admin.name}</span>
          ${csrfField(options.admin.csrf)}
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main>
        <h1>${options.title}</h1>
        ${
          options.notice
            ? html`<p
                class="notice ${options.notice.kind}"
                role="${options.notice.kind === 'error' ? 'alert' : 'status'}"
              >
                ${options.notice.text}
              </p>`
            : ''
        }
        ${options.body}
      </main>`,
  );
}

/** A page outside a session (signed out, refused, a failed sign-in). */
export function plainPage(title: string, body: SafeHtml): SafeHtml {
  return documentOf(
    title,
    html`<header class="bar"><span class="brand">Workstation admin</span></header>
      <main>
        <h1>${title}</h1>
        ${body}
      </main>`,
  );
}

/** The hidden field every state-changing form carries (checked against the session's token). */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

function documentOf(title: string, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Workstation admin</title>
        <link rel="stylesheet" href="/admin/console.css" />
      </head>
      <body>
        ${content}
      </body>
    </html>`;
}

/** A time as the console shows it: ISO, to the second, in UTC. */
export function shownTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? '—'
    : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
