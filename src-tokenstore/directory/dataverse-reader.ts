import { z } from 'zod';
import type { DirectorySettings } from '../../src-shared/tokenstore/directory-api';
import type { UpstreamResponse, UpstreamSend } from '../auth/https-fetch';
import type { ClientCredentials } from './client-credentials';
import { DeltaLinkExpired, SyncFailure } from './sync-failure';
import { transportFailure } from './transport-failure';

/** The Web API version the sync reads. */
export const WEB_API_PATH = '/api/data/v9.2/';

/** One page of an OData collection. */
export interface ODataPage {
  readonly rows: readonly Record<string, unknown>[];
  readonly nextLink: string | undefined;
  readonly deltaLink: string | undefined;
}

const pageSchema = z.object({
  value: z.array(z.record(z.string(), z.unknown())),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

const dataverseErrorSchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
});

/** "The user is not a member of the organization.": the app has no application user here. */
const NOT_A_MEMBER = '0x80072560';

export interface ReaderLimits {
  /** How many 429s in a row a request waits out (each for its Retry-After) before the run fails. */
  readonly maxThrottleWaits: number;
  /** The longest single Retry-After honoured; a longer one fails the run (the next resumes). */
  readonly maxRetryAfterMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxThrottleWaits: 5,
  maxRetryAfterMs: 5 * 60_000,
  timeoutMs: 120_000,
};

/** Retry-After as delay-seconds or an HTTP date (https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3). */
function retryAfterMs(response: UpstreamResponse, now: number): number {
  const value = response.headers.get('retry-after');
  if (!value) return 1000;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : 1000;
}

function errorOf(response: UpstreamResponse): { code?: string; message?: string } {
  try {
    const parsed = dataverseErrorSchema.safeParse(JSON.parse(response.text));
    return parsed.success ? parsed.data.error : {};
  } catch {
    return {};
  }
}

/**
 * Reads Dataverse's Web API with the app's token, a page at a time: `Prefer: odata.maxpagesize`
 * and `@odata.nextLink` (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results),
 * `Prefer: odata.track-changes` and `@odata.deltaLink`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems).
 *
 * A 429 is waited out for its Retry-After before the same request goes again, the whole reader
 * paused meanwhile, as the service protection limits ask
 * (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits); a 401 gets one fresh
 * token. Links are only followed on the org's own origin: the bearer token goes nowhere else.
 */
export class DataverseReader {
  readonly #origin: string;

  constructor(
    private readonly settings: DirectorySettings,
    private readonly deps: {
      readonly send: UpstreamSend;
      readonly tokens: ClientCredentials;
      readonly sleep: (ms: number) => Promise<void>;
      readonly now: () => number;
      readonly limits?: ReaderLimits;
    },
  ) {
    this.#origin = new URL(settings.orgUrl).origin;
  }

  /** `<org>/api/data/v9.2/<path>`. */
  url(path: string): string {
    return `${this.#origin}${WEB_API_PATH}${path}`;
  }

  /**
   * One page. `delta`: the URL is a delta link, and a refusal of it (any 4xx but 401, 403 and 429)
   * is DeltaLinkExpired, for the caller to read everything again. `notFound: 'undefined'` answers
   * undefined for a 404 (one user's row that is gone).
   */
  async page(
    url: string,
    options: { trackChanges?: boolean; delta?: boolean; notFound?: 'undefined' } = {},
  ): Promise<ODataPage | undefined> {
    const response = await this.#get(url, options.trackChanges ?? false);
    if (response.status === 200) {
      let body: unknown;
      try {
        body = JSON.parse(response.text);
      } catch {
        body = undefined;
      }
      // A single row (`systemusers(<id>)`) is a page of one.
      const parsed = pageSchema.safeParse(
        body && typeof body === 'object' && !('value' in body) ? { value: [body] } : body,
      );
      if (!parsed.success)
        throw new SyncFailure('upstream_failed', 'Dataverse answered in an unexpected format.');
      return {
        rows: parsed.data.value,
        nextLink: parsed.data['@odata.nextLink'],
        deltaLink: parsed.data['@odata.deltaLink'],
      };
    }
    if (response.status === 404 && options.notFound === 'undefined') return undefined;
    const error = errorOf(response);
    if (response.status === 403) {
      if (error.code === NOT_A_MEMBER)
        throw new SyncFailure(
          'not_application_user',
          'Dataverse says the app is not a member of this environment (0x80072560): add it as an application user ' +
            '(Power Platform admin center > the environment > Settings > Users + permissions > Application users) with a security role.',
          NOT_A_MEMBER,
        );
      throw new SyncFailure(
        'missing_privilege',
        `Dataverse refused the read (403${error.code ? ` ${error.code}` : ''}${error.message ? `: ${error.message}` : ''}). ` +
          'Give the application user’s security role organization-level read on users, teams and team memberships.',
        error.code ?? null,
      );
    }
    if (options.delta && response.status >= 400 && response.status < 500)
      throw new DeltaLinkExpired(response.status);
    if (response.status === 404)
      throw new SyncFailure(
        'org_not_found',
        `${new URL(url).host} answered 404 for the Web API: check the org URL names an existing environment.`,
        error.code ?? null,
      );
    throw new SyncFailure(
      'upstream_failed',
      `Dataverse answered HTTP ${response.status}${error.code ? ` (${error.code})` : ''}${error.message ? `: ${error.message}` : ''}.`,
      error.code ?? null,
    );
  }

  async #get(url: string, trackChanges: boolean): Promise<UpstreamResponse> {
    if (new URL(url).origin !== this.#origin)
      throw new SyncFailure(
        'upstream_failed',
        'Dataverse sent a paging link to another host; the sync does not follow it.',
      );
    const limits = this.deps.limits ?? DEFAULT_READER_LIMITS;
    const prefer = [
      ...(trackChanges ? ['odata.track-changes'] : []),
      `odata.maxpagesize=${this.settings.pageSize}`,
    ].join(',');
    let fresh = false;
    for (let throttled = 0; ;) {
      const token = await this.deps.tokens.token(this.settings, this.deps.send, fresh);
      let response: UpstreamResponse;
      try {
        response = await this.deps.send({
          method: 'GET',
          url,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            'odata-maxversion': '4.0',
            'odata-version': '4.0',
            prefer,
          },
          timeoutMs: limits.timeoutMs,
        });
      } catch (error) {
        throw transportFailure(error, 'Dataverse', url);
      }
      if (response.status === 401 && !fresh) {
        fresh = true;
        continue;
      }
      if (response.status === 401)
        throw new SyncFailure(
          'unauthorized',
          'Dataverse did not accept the app’s token (401): check the org URL is the environment the app was added to.',
        );
      if (response.status !== 429) return response;
      const wait = retryAfterMs(response, this.deps.now());
      throttled += 1;
      if (throttled > limits.maxThrottleWaits || wait > limits.maxRetryAfterMs) {
        const code = errorOf(response).code ?? null;
        throw new SyncFailure(
          'throttled',
          `Dataverse kept throttling the sync (429${code ? ` ${code}` : ''}, Retry-After ${Math.ceil(wait / 1000)} s after ${throttled} waits); the next run resumes where this one stopped.`,
          code,
        );
      }
      await this.deps.sleep(wait);
    }
  }
}
