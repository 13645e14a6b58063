/** Connection ids: lower-case letters, digits and dashes, stable for one target. */
export const CONNECTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A connection id from a host name: `contoso.crm4.dynamics.com` without its vendor suffix -> `contoso-crm4`. */
export function connectionIdFromHost(host: string, vendorSuffix = ''): string {
  const bare =
    vendorSuffix && host.endsWith(vendorSuffix) ? host.slice(0, -vendorSuffix.length) : host;
  const slug = bare
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return slug || 'default';
}

/** Parses an https origin; undefined for anything else (credentials, paths, other schemes). */
export function httpsOriginOf(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash)
    return undefined;
  if (url.pathname !== '/' && url.pathname !== '') return undefined;
  return url;
}
