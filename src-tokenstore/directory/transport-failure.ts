import { SyncFailure } from './sync-failure';

/** Node's socket errors that mean the host name does not resolve or nothing answers there. */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * A request that got no HTTP answer, as a run error: a host that does not resolve or refuses is a
 * wrong URL (`org_not_found` for Dataverse), no answer in time is `timeout`; the run keeps its
 * place so the next one resumes.
 */
export function transportFailure(error: unknown, upstream: string, url: string): SyncFailure {
  const code = (error as { code?: unknown } | null)?.code;
  const host = new URL(url).host;
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT')
    return new SyncFailure(
      'timeout',
      `${upstream} (${host}) did not answer in time; the next run resumes where this one stopped.`,
      null,
      { cause: error },
    );
  if (typeof code === 'string' && UNREACHABLE.has(code))
    return new SyncFailure(
      upstream === 'Dataverse' ? 'org_not_found' : 'token_failed',
      `${host} cannot be reached (${code}): check the ${upstream === 'Dataverse' ? 'org URL' : 'authority'}.`,
      code,
      { cause: error },
    );
  return new SyncFailure(
    'upstream_failed',
    `The connection to ${upstream} (${host}) failed${typeof code === 'string' ? ` (${code})` : ''}.`,
    typeof code === 'string' ? code : null,
    { cause: error },
  );
}
