import axios, { AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { trustingAgent } from '../../src-node-shared/trusting-agent';
import {
  isWorkstationError,
  workstationError,
  type WorkstationError,
} from '../../src-shared/errors';
import type { ITokenSource } from './token-source';

/** How a provider's HTTP client is made. */
export interface AuthorizedClientOptions {
  readonly displayName: string;
  /** The connection's tokens (silent only). */
  readonly tokenSource: ITokenSource;
  readonly baseURL: string;
  /** Words an upstream's own error bodies before the generic mapping (Salesforce's error arrays). */
  readonly mapError?: (failure: {
    status: number;
    data: unknown;
    headers: Record<string, unknown>;
  }) => WorkstationError | undefined;
  /** Extra CA besides the system roots (the demo's local CA). */
  readonly extraCa?: string;
  readonly timeoutMs?: number;
}

type RetriedConfig = InternalAxiosRequestConfig & { workstationRetried?: boolean };

/**
 * The one place providers get an authorized HTTP client: the Bearer header is set per request from
 * the token source; a 401 gets one silent refresh and one retry, then `needs_reconnect`. Providers
 * never see MSAL, the envelope or a refresh token. Throttling keeps its Retry-After (seconds, maybe
 * fractional); network failures and timeouts become retryable errors; aborts stay aborts.
 */
export function createAuthorizedHttpClient(options: AuthorizedClientOptions): AxiosInstance {
  const client = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 15_000,
    httpsAgent: trustingAgent(options.extraCa),
    headers: { accept: 'application/json' },
  });
  client.interceptors.request.use(async (config: RetriedConfig) => {
    const token = await options.tokenSource.getAccessToken({
      forceRefresh: config.workstationRetried === true,
    });
    config.headers.set('authorization', `Bearer ${token}`);
    return config;
  });
  client.interceptors.response.use(undefined, async (error: unknown) => {
    if (isWorkstationError(error)) throw error;
    if (axios.isCancel(error) || (error instanceof AxiosError && error.code === 'ERR_CANCELED'))
      throw workstationError('cancelled', 'The request was cancelled.');
    if (!(error instanceof AxiosError)) throw error;
    const status = error.response?.status;
    const config = error.config as RetriedConfig | undefined;
    if (status === 401 && config && !config.workstationRetried) {
      config.workstationRetried = true;
      return client.request(config);
    }
    if (status !== undefined && error.response && options.mapError) {
      const mapped = options.mapError({
        status,
        data: error.response.data,
        headers: { ...error.response.headers },
      });
      if (mapped) throw mapped;
    }
    if (status === 401)
      throw workstationError(
        'needs_reconnect',
        `${options.displayName} did not accept your sign-in. Choose Reconnect in Settings > Integrations.`,
      );
    if (status === 429 || status === 503) {
      const header = Number(error.response?.headers['retry-after']);
      const seconds = Number.isFinite(header) && header > 0 ? header : 5;
      throw workstationError(
        status === 429 ? 'throttled' : 'upstream_unavailable',
        `${options.displayName} is busy; Workstation will try again shortly.`,
        { retryAt: Date.now() + Math.ceil(seconds * 1000) },
      );
    }
    if (status !== undefined && status >= 500)
      throw workstationError(
        'upstream_unavailable',
        `${options.displayName} is having trouble right now.`,
      );
    if (status === undefined) {
      const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
      throw workstationError(
        timedOut ? 'timeout' : 'upstream_unavailable',
        timedOut
          ? `${options.displayName} took too long to answer.`
          : `Workstation cannot reach ${options.displayName}.`,
      );
    }
    throw error;
  });
  return client;
}
