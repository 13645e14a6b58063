import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DirectoryRepository } from '../directory/directory-repository';
import type { DirectorySyncService } from '../directory/directory-sync-service';
import type { SecretReader } from '../directory/secret-reader';
import { sendError } from '../http/store-error';

/** Where the webhook lives; the authentication hook lets it through (it has a key, not a token). */
export const DIRECTORY_WEBHOOK_PREFIX = '/v1/directory/webhook/';

/** The header the HttpHeader authentication option sends the key in. */
export const WEBHOOK_KEY_HEADER = 'x-workstation-webhook-key';

/**
 * The parts of Dataverse's RemoteExecutionContext the webhook reads
 * (https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks): which table and row
 * changed. Everything else (images, the Target's attributes) is ignored: the row is read again
 * from Dataverse, which also covers a payload over 256 KB that arrives without them.
 */
const contextSchema = z.object({
  MessageName: z.string().optional(),
  PrimaryEntityName: z.string(),
  PrimaryEntityId: z.string().regex(/^[0-9a-fA-F-]{36}$/),
});

const tenantSchema = z.string().regex(/^[0-9a-fA-F-]{36}$/);

function sameKey(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /v1/directory/webhook/:tenant`: a Dataverse service endpoint (a WebHook step on Update of
 * `systemuser`) calls it; it queues a sync of that user and answers 202 at once (Dataverse waits
 * 60 s at most). The key is the one the tenant's settings name, sent as WebhookKey (`?code=`) or
 * as HttpHeader (`x-workstation-webhook-key: <key>`); the endpoint must refuse a request whose key
 * does not match (https://learn.microsoft.com/power-apps/developer/data-platform/register-web-hook).
 * Webhooks are not a guaranteed delivery: the scheduled delta stays the source of truth.
 */
export function registerDirectoryWebhookRoute(
  app: FastifyInstance,
  deps: {
    readonly directory: DirectoryRepository;
    readonly sync: DirectorySyncService;
    readonly secrets: SecretReader;
    /** Counts a refused key against the caller's address, like a refused token. */
    readonly onAuthFailure: (request: FastifyRequest) => void;
  },
): void {
  app.post<{ Params: { tenant: string }; Querystring: { code?: string } }>(
    `${DIRECTORY_WEBHOOK_PREFIX}:tenant`,
    async (request, reply) => {
      const refuse = () => {
        deps.onAuthFailure(request);
        return sendError(reply, 401, 'unauthorized', 'The webhook key is missing or wrong.');
      };
      const tenant = tenantSchema.safeParse(request.params.tenant);
      if (!tenant.success) return refuse();
      const tid = tenant.data.toLowerCase();
      const stored = await deps.directory.getSettings(tid);
      const reference = stored?.settings.enabled ? stored.settings.webhookKey : undefined;
      let expected: string | undefined;
      if (reference) {
        try {
          expected = await deps.secrets.read(reference, 'webhook key');
        } catch {
          expected = undefined;
        }
      }
      const header = request.headers[WEBHOOK_KEY_HEADER];
      const given = typeof header === 'string' ? header : request.query.code;
      // One answer for every refusal (unknown tenant, no key set, wrong key): nothing to probe.
      if (!expected || !sameKey(given, expected)) return refuse();
      const context = contextSchema.safeParse(request.body);
      if (!context.success)
        return sendError(
          reply,
          400,
          'invalid_input',
          'The body is not a Dataverse execution context naming a row.',
        );
      if (context.data.PrimaryEntityName !== 'systemuser')
        return reply.code(202).send({ queued: false });
      await deps.sync.queueSystemUser(tid, context.data.PrimaryEntityId);
      return reply.code(202).send({ queued: true });
    },
  );
}
