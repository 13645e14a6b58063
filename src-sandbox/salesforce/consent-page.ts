import type { SalesforceUser } from './salesforce-org';

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Readable names of the OAuth scopes the consent page lists. */
const scopeLabels: Record<string, string> = {
  api: 'Manage user data via APIs (api)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  openid: 'Access unique user identifiers (openid)',
  profile: 'Access your basic profile (profile)',
  email: 'Access your email address (email)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  web: 'Access the Salesforce web pages (web)',
  full: 'Full access (full)',
};

/**
 * The stand-in's login and "Allow Access?" page in one: pick a sample user of the org, see what
 * the connected app asks for, Allow or Deny.
 */
export function consentPage(options: {
  requestId: string;
  action: string;
  users: readonly SalesforceUser[];
  selected?: string;
  scopes: readonly string[];
  appName: string;
  orgName: string;
}): string {
  const choices = options.users
    .map((user, index) => {
      const checked = options.selected
        ? user.Username.toLowerCase() === options.selected.toLowerCase()
        : index === 0;
      return `<label><input type="radio" name="user" value="${escape(user.Id)}"${checked ? ' checked' : ''}> ${escape(user.Name)} <small>${escape(user.Username)}</small></label>`;
    })
    .join('\n');
  const permissions = [...new Set(options.scopes.map((scope) => scopeLabels[scope] ?? scope))]
    .map((label) => `<li>${escape(label)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Login | Salesforce (sandbox stand-in)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:480px;margin:40px auto;padding:0 16px}fieldset{border:1px solid #ccc;border-radius:8px}label{display:block;padding:6px 0}small{color:#666}button{margin-right:8px;padding:8px 20px}</style>
</head><body>
<h1>Log in to ${escape(options.orgName)}</h1>
<p>This is Workstation's local stand-in for Salesforce. Choose a sample user.</p>
<form method="post" action="${escape(options.action)}">
<input type="hidden" name="request" value="${escape(options.requestId)}">
<fieldset><legend>Username</legend>
${choices}
</fieldset>
<h2>Allow Access?</h2>
<p>${escape(options.appName)} is asking to:</p>
<ul>${permissions}</ul>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>`;
}
