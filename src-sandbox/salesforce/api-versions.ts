/**
 * The REST API versions the stand-in advertises at `GET /services/data/`, oldest first, as
 * Salesforce lists them ("Versions", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-versions.html).
 */
export const apiVersions: readonly { readonly label: string; readonly version: string }[] = [
  { label: "Spring '24", version: '60.0' },
  { label: "Summer '24", version: '61.0' },
  { label: "Winter '25", version: '62.0' },
  { label: "Spring '25", version: '63.0' },
  { label: "Summer '25", version: '64.0' },
];

export const LATEST_API_VERSION = apiVersions[apiVersions.length - 1]?.version ?? '64.0';

/** The version a path segment names (`v62.0`, or `latest` for the newest), or undefined. */
export function resolveVersion(segment: string): string | undefined {
  if (segment === 'latest') return LATEST_API_VERSION;
  const version = /^v(\d+\.\d)$/.exec(segment)?.[1];
  return apiVersions.some((candidate) => candidate.version === version) ? version : undefined;
}
