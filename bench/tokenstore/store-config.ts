/**
 * How the bench starts a token store, in its own process (store-under-test.ts) or in a worker of
 * store-process.ts: the configuration (sent as JSON to the workers) and the options it makes.
 */
import { z } from 'zod';
import type {
  TokenStoreAuthConfig,
  TokenStoreOptions,
} from '../../src-tokenstore/start-token-store';

export const storeConfigSchema = z.object({
  workers: z.number().int().min(1),
  tls: z.object({ cert: z.string(), key: z.string() }),
  // Made by the bench from the test IdP's own config; the store checks what it needs.
  auth: z.custom<TokenStoreAuthConfig>((value) => typeof value === 'object' && value !== null),
  backend: z.object({
    databaseUrl: z.string().optional(),
    databaseSchema: z.string().optional(),
    databasePoolSize: z.number().int().optional(),
    sqlitePath: z.string().optional(),
  }),
});
export type StoreProcessConfig = z.infer<typeof storeConfigSchema>;
/** Which database the store opens (SQLite file, or PostgreSQL URL and schema). */
export type StoreProcessConfigBackend = StoreProcessConfig['backend'];

/** The store's options: quiet, and a per-user rate limit no bench run reaches. */
export function storeOptions(config: Omit<StoreProcessConfig, 'workers'>): TokenStoreOptions {
  return {
    tls: config.tls,
    auth: config.auth,
    logger: false,
    limits: { requestsPerMinute: 10_000_000 },
    ...config.backend,
  };
}
