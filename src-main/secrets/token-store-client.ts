import axios, { AxiosError, type AxiosInstance } from 'axios';
import { trustingAgent } from '../../src-node-shared/trusting-agent';
import type { z } from 'zod';
import { workstationError } from '../../src-shared/errors';
import {
  blobResponseSchema,
  myIntegrationsResponseSchema,
  myPolicyResponseSchema,
  putBlobResponseSchema,
  storeErrorSchema,
  type BlobResponse,
  type MyIntegrationsResponse,
  type MyPolicyResponse,
} from '../../src-shared/tokenstore/api';

/** How to reach the token store. */
export interface TokenStoreClientOptions {
  readonly baseUrl: string;
  /** The Workstation session's access token for the store (silent MSAL acquisition). */
  readonly getToken: () => Promise<string>;
  /** Extra CA to trust besides the system roots (the demo's local CA). */
  readonly extraCa?: string;
  readonly timeoutMs?: number;
}

/**
 * Which blob: the caller's, for one connection of an integration (`dynamics` / `contoso-crm4`,
 * `salesforce` / `sandbox`), on this device. The store keys blobs by exactly these.
 */
export interface BlobKey {
  readonly integration: string;
  readonly connection: string;
  readonly deviceId: string;
}

/** A blob's content and the version a compare-and-swap must name. */
export type StoredBlob = Pick<BlobResponse, 'blob' | 'version'>;

/** Where a write must land: over a known version, or only if nothing is there yet. */
export type WritePrecondition = { readonly ifMatch: string } | { readonly create: true };

/**
 * Typed calls to the token store over HTTPS (axios, trusting the configured CA). Failures become
 * WorkstationErrors the app can act on: `store_unreachable` (keep working from memory and say so),
 * `needs_sign_in`, `forbidden` (not enabled for the user), `conflict` (lost a race), `throttled`.
 */
export class TokenStoreClient {
  readonly #http: AxiosInstance;

  constructor(private readonly options: TokenStoreClientOptions) {
    // One agent per client, made here: its kept-alive TLS connections serve every call, so a busy
    // app does not pay a TLS handshake per blob read.
    this.#http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 10_000,
      httpsAgent: trustingAgent(options.extraCa),
      validateStatus: () => true,
      headers: { accept: 'application/json' },
    });
  }

  /** The caller's blob, or undefined when none is stored. */
  async getBlob(key: BlobKey, signal?: AbortSignal): Promise<StoredBlob | undefined> {
    const response = await this.#send('GET', blobPath(key), undefined, {}, signal);
    if (response.status === 404) return undefined;
    return this.#parse(response, blobResponseSchema);
  }

  /** Writes a blob under a precondition; a lost race is a `conflict` error. */
  async putBlob(
    key: BlobKey,
    blob: string,
    precondition: WritePrecondition,
  ): Promise<{ version: string }> {
    const headers: Record<string, string> =
      'create' in precondition
        ? { 'if-none-match': '*' }
        : { 'if-match': `"${precondition.ifMatch}"` };
    const response = await this.#send('PUT', blobPath(key), { blob }, headers);
    return this.#parse(response, putBlobResponseSchema);
  }

  /** Deletes the caller's blob; answers whether one was there. */
  async deleteBlob(key: BlobKey): Promise<boolean> {
    const response = await this.#send('DELETE', blobPath(key));
    if (response.status === 404) return false;
    if (response.status === 204) return true;
    this.#parse(response, putBlobResponseSchema);
    return true;
  }

  /** The integrations the organisation enabled for the caller, with their settings. */
  async listMyIntegrations(): Promise<MyIntegrationsResponse> {
    return this.#parse(
      await this.#send('GET', '/v1/me/integrations'),
      myIntegrationsResponseSchema,
    );
  }

  /**
   * The caller's policy (enabled integrations, settings, revocation epochs) and its ETag; with the
   * ETag of the last answer, an unchanged policy is `{ notModified: true }` (a 304, no body).
   */
  async policy(
    etag?: string,
  ): Promise<
    { notModified: true } | { notModified: false; etag?: string; policy: MyPolicyResponse }
  > {
    const response = await this.#send(
      'GET',
      '/v1/me/policy',
      undefined,
      etag ? { 'if-none-match': `"${etag}"` } : {},
    );
    if (response.status === 304) return { notModified: true };
    const policy = this.#parse(response, myPolicyResponseSchema);
    const tag = response.headers['etag'];
    return {
      notModified: false,
      policy,
      ...(typeof tag === 'string'
        ? { etag: tag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') }
        : {}),
    };
  }

  /**
   * Read-modify-write with one retry: `next` gets the current blob (or undefined) and answers the
   * blob to store. If another device or window wrote in between (412), it re-reads and asks again
   * once, so `next` can merge; a second lost race is reported.
   */
  async compareAndSwap(
    key: BlobKey,
    next: (current: StoredBlob | undefined) => string | Promise<string>,
  ): Promise<{ version: string }> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.getBlob(key);
      try {
        return await this.putBlob(
          key,
          await next(current),
          current ? { ifMatch: current.version } : { create: true },
        );
      } catch (error) {
        if (
          attempt >= 1 ||
          !(error instanceof Error) ||
          (error as { code?: string }).code !== 'conflict'
        )
          throw error;
      }
    }
  }

  async #send(
    method: 'GET' | 'PUT' | 'DELETE',
    url: string,
    data?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ) {
    const token = await this.options.getToken();
    try {
      return await this.#http.request({
        method,
        url,
        data,
        signal,
        headers: { ...headers, authorization: `Bearer ${token}` },
      });
    } catch (error) {
      if (axios.isCancel(error) || (error instanceof AxiosError && error.code === 'ERR_CANCELED'))
        throw workstationError('cancelled', 'The request was cancelled.');
      throw workstationError(
        'store_unreachable',
        `The token store (${new URL(this.options.baseUrl).host}) cannot be reached. Workstation keeps working with what it has in memory.`,
        {},
        error,
      );
    }
  }

  #parse<T extends z.ZodType>(
    response: { status: number; data: unknown; headers: Record<string, unknown> },
    schema: T,
  ): z.output<T> {
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(response.data);
      if (parsed.success) return parsed.data;
      throw workstationError(
        'upstream_failed',
        'The token store answered in an unexpected format.',
      );
    }
    const detail = storeErrorSchema.safeParse(response.data);
    const message = detail.success
      ? detail.data.error.message
      : `The token store answered HTTP ${response.status}.`;
    if (response.status === 401)
      throw workstationError(
        'needs_sign_in',
        'Sign in to Workstation again: the token store did not accept your session.',
      );
    if (response.status === 403)
      // user_inactive: the organisation's synced directory turned Workstation off for this user.
      throw workstationError(
        detail.success && detail.data.error.code === 'user_inactive'
          ? 'user_inactive'
          : 'forbidden',
        message,
      );
    if (response.status === 412)
      throw workstationError('conflict', 'Another window or device saved at the same time.');
    if (response.status === 429) {
      const seconds = Number(response.headers['retry-after'] ?? 1);
      throw workstationError(
        'throttled',
        'The token store is busy; Workstation will retry shortly.',
        { retryAt: Date.now() + Math.ceil((Number.isFinite(seconds) ? seconds : 1) * 1000) },
      );
    }
    if (response.status >= 500)
      throw workstationError(
        'store_unreachable',
        'The token store is having trouble. Workstation keeps working with what it has in memory.',
      );
    throw workstationError('upstream_failed', message);
  }
}

const blobPath = ({ integration, connection, deviceId }: BlobKey) =>
  `/v1/blobs/${[integration, connection, deviceId].map(encodeURIComponent).join('/')}`;
