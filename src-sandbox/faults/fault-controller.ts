import { z } from 'zod';
import { SeededRandom } from '../data/seeded-random';

// Salesforce's OAuth endpoints (authorize, token, revoke, identity) count and fail apart from its
// REST API, as Entra does apart from Dataverse: throttling the API leaves sign-in working.
export const serviceNames = [
  'entra',
  'dataverse',
  'search',
  'graph',
  'salesforce',
  'salesforce-oauth',
] as const;
export type ServiceName = (typeof serviceNames)[number];

/** What can go wrong on purpose, per service. */
export const faultKnobsSchema = z
  .object({
    /** Added to every response, in ms. */
    latencyMs: z.number().min(0).max(60_000),
    /** Up to this many ms more, drawn from the seeded generator. */
    jitterMs: z.number().min(0).max(60_000),
    /** Share of requests answered 503 (0..1). */
    errorRate: z.number().min(0).max(1),
    /** Answer every request 429 with this Retry-After (seconds); 0 = off. */
    throttleRetryAfterSec: z.number().min(0).max(3600),
    /** Entra: token requests fail with AADSTS65001 (admin consent required). */
    consentRequired: z.boolean(),
    /** Entra: refresh tokens fail with AADSTS700082 (expired through inactivity). */
    refreshTokenExpired: z.boolean(),
    /**
     * Entra: a Conditional Access policy requires MFA for these resources. Tokens for them fail with
     * AADSTS50076 and a claims challenge until the user signs in interactively again (which counts
     * as the second factor); sessions signed in that way carry MFA on.
     */
    mfaRequiredFor: z.array(z.enum(['dataverse', 'graph', 'tokenstore'])),
    /** Entra: lifetime of new access tokens in seconds; 0 = Entra's usual (about an hour). */
    accessTokenLifetimeSec: z.number().int().min(0).max(86_400),
    /** Dataverse: the search API answers 0x80048d0b (search not enabled for the org). */
    searchDisabled: z.boolean(),
    /** Dataverse search: enforce 1 request/s per user and `searchOrgRequestsPerMinute` per org (on by default). */
    searchLimits: z.boolean(),
    /**
     * Dataverse search: requests per minute the whole org may send, 150 as documented
     * (https://learn.microsoft.com/power-apps/developer/data-platform/search/overview#service-protection-limits).
     */
    searchOrgRequestsPerMinute: z.number().int().min(1).max(1_000_000),
    /**
     * Dataverse Web API: enforce the service protection limits per user, on by default
     * (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits).
     */
    serviceProtectionLimits: z.boolean(),
    /** Dataverse Web API: requests per user in a 5-minute sliding window, 6,000 by default. */
    requestsPer5Min: z.number().int().min(1).max(10_000_000),
    /** Dataverse Web API: concurrent requests per user, 52 by default. */
    concurrentRequests: z.number().int().min(1).max(100_000),
    /** Salesforce: access tokens idle this long answer INVALID_SESSION_ID (the org's session timeout, 2 h by default). */
    sessionTimeoutSec: z.number().min(0).max(86_400),
    /** Salesforce: when switched on, every access token issued so far answers INVALID_SESSION_ID until the client refreshes. */
    sessionsExpired: z.boolean(),
    /** Salesforce: when switched on, every refresh token issued so far is revoked (invalid_grant). */
    refreshTokensRevoked: z.boolean(),
    /** Salesforce: refresh token rotation, a new refresh token on each refresh and the old one spent. */
    refreshTokenRotation: z.boolean(),
    /** Salesforce: the org's DailyApiRequests allocation; past it the REST API answers 403 REQUEST_LIMIT_EXCEEDED. */
    dailyApiRequests: z.number().int().min(0),
  })
  .strict();
export type FaultKnobs = z.infer<typeof faultKnobsSchema>;
export type FaultConfig = Partial<Record<ServiceName, Partial<FaultKnobs>>>;

const defaults: FaultKnobs = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  throttleRetryAfterSec: 0,
  consentRequired: false,
  refreshTokenExpired: false,
  mfaRequiredFor: [],
  accessTokenLifetimeSec: 0,
  searchDisabled: false,
  searchLimits: true,
  searchOrgRequestsPerMinute: 150,
  serviceProtectionLimits: true,
  requestsPer5Min: 6000,
  concurrentRequests: 52,
  sessionTimeoutSec: 7200,
  sessionsExpired: false,
  refreshTokensRevoked: false,
  refreshTokenRotation: false,
  dailyApiRequests: 100_000,
};

/** Holds the knobs, settable at start and at run time (admin endpoint), with a seeded generator. */
export class FaultController {
  readonly #knobs = new Map<ServiceName, FaultKnobs>();
  readonly #random: SeededRandom;

  constructor(initial: FaultConfig = {}, seed = 1) {
    this.#random = new SeededRandom(seed);
    for (const service of serviceNames)
      this.#knobs.set(service, { ...defaults, ...initial[service] });
  }

  get(service: ServiceName): FaultKnobs {
    return this.#knobs.get(service) ?? defaults;
  }

  /** Merges a validated partial update into one service's knobs. */
  set(service: ServiceName, knobs: Partial<FaultKnobs>): FaultKnobs {
    const next = { ...this.get(service), ...faultKnobsSchema.partial().parse(knobs) };
    this.#knobs.set(service, next);
    return next;
  }

  reset(): void {
    for (const service of serviceNames) this.#knobs.set(service, { ...defaults });
  }

  /** The delay to add to one response of `service`. */
  delayMs(service: ServiceName): number {
    const { latencyMs, jitterMs } = this.get(service);
    return latencyMs + (jitterMs > 0 ? this.#random.next() * jitterMs : 0);
  }

  /** Whether this request should fail with a 503. */
  shouldFail(service: ServiceName): boolean {
    const { errorRate } = this.get(service);
    return errorRate > 0 && this.#random.next() < errorRate;
  }
}
