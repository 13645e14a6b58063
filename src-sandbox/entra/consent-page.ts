import type { SampleUser } from '../data/sample-users';

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The sign-in + consent page: pick a sample user, see what is asked, Accept or Cancel. */
export function consentPage(options: {
  requestId: string;
  action: string;
  users: readonly SampleUser[];
  selected?: string;
  permissions: readonly string[];
  appName: string;
  extraVerification?: boolean;
}): string {
  const choices = options.users
    .map((user, index) => {
      const checked = options.selected
        ? user.upn.toLowerCase() === options.selected.toLowerCase()
        : index === 0;
      return `<label><input type="radio" name="user" value="${escape(user.oid)}"${checked ? ' checked' : ''}> ${escape(user.displayName)} <small>${escape(user.upn)}</small></label>`;
    })
    .join('\n');
  const permissions = options.permissions
    .map((permission) => `<li>${escape(permission)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:480px;margin:40px auto;padding:0 16px}fieldset{border:1px solid #ccc;border-radius:8px}label{display:block;padding:6px 0}small{color:#666}button{margin-right:8px;padding:8px 20px}</style>
</head><body>
<h1>Sign in (Workstation sandbox)</h1>
<p>This is the local stand-in for Microsoft Entra ID. Choose a sample user.</p>
<form method="post" action="${escape(options.action)}">
<input type="hidden" name="request" value="${escape(options.requestId)}">
<fieldset><legend>Account</legend>
${choices}
</fieldset>
<h2>Permissions requested</h2>
<p>${escape(options.appName)} wants to:</p>
<ul>${permissions}</ul>
${options.extraVerification ? '<p><strong>Extra verification:</strong> your organisation requires multi-factor authentication here. In the sandbox, Accept counts as the second factor.</p>\n' : ''}<button type="submit" name="decision" value="accept">Accept</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>
</body></html>`;
}

/** The auto-submitting form that carries the answer to the client's redirect URI (response_mode=form_post). */
export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  return `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="post" action="${escape(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}
