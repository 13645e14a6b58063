/** Which Dynamics org URLs an admin may save: real Dynamics hosts, plus exact origins configured (the sandbox). */
export interface OrgUrlPolicy {
  readonly hostPatterns: readonly RegExp[];
  readonly extraOrigins: readonly string[];
}

/** Dynamics 365 org hosts: `<org>.crm.dynamics.com`, `<org>.crm4.dynamics.com`, ... */
export const defaultOrgUrlPolicy: OrgUrlPolicy = { hostPatterns: [/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.crm[0-9]{0,2}\.dynamics\.com$/], extraOrigins: [] };

/** Answers the normalised origin when the URL is an allowed org, else undefined. */
export function allowedOrgUrl(value: string, policy: OrgUrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return undefined;
  if (policy.extraOrigins.includes(url.origin)) return url.origin;
  if (url.protocol !== 'https:' || url.port !== '') return undefined;
  return policy.hostPatterns.some((pattern) => pattern.test(url.hostname)) ? url.origin : undefined;
}
