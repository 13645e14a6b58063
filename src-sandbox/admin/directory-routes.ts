import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ChangeTracking } from '../dataverse/change-tracking';
import type { DirectoryTables } from '../dataverse/directory-tables';
import { serviceEndpointInputSchema, type WebhookCaller } from '../dataverse/webhook-caller';

/** What the directory knobs reach: each org's directory, change tracking and webhooks, and the app. */
export interface DirectoryAdmin {
  /** Public facts about the directory sync app and the orgs (never the secret: see `files`). */
  info(): Record<string, unknown>;
  org(
    label: string,
  ): { directory: DirectoryTables; tracking: ChangeTracking; webhooks: WebhookCaller } | undefined;
  /** Expires (or renews) the app's client secret (AADSTS7000222). */
  setSecretExpired(expired: boolean): void;
  readonly clientId: string;
}

const personSchema = z
  .object({
    fullname: z.string().min(1),
    firstname: z.string().nullable(),
    lastname: z.string().nullable(),
    internalemailaddress: z.string().nullable(),
    domainname: z.string().min(1),
    azureactivedirectoryobjectid: z.uuid(),
    title: z.string().nullable(),
    isdisabled: z.boolean(),
  })
  .partial()
  .strict();

const invalid = (reply: FastifyReply, status: number, message: string) =>
  reply.code(status).send({ error: { code: 'invalid_input', message } });
const issues = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');

/**
 * The directory's admin knobs (what an admin does in the Power Platform admin center and the
 * Plug-in Registration tool while the store is running):
 *   GET    /directory                                  app ids, token URL, credential files, orgs
 *   POST   /directory/app               {"secretExpired": true}
 *   POST   /directory/<org>/application-user  {"present": false, "securityRole": false}
 *   POST   /directory/<org>/users       {"fullname": "...", ...}   add a person
 *   PATCH  /directory/<org>/users/<id>  {"isdisabled": true, "title": "..."}   change a person
 *   DELETE /directory/<org>/users/<id>
 *   POST   /directory/<org>/synthetic-users  {"count": 10000}   a large directory
 *   POST   /directory/<org>/change-tracking  {"expireInDays": 7, "enabled": true, "expireTokensNow": true}
 *   GET|POST /directory/<org>/service-endpoints  {"url": "...", "auth": {"authtype": "WebhookKey", "key": "..."}}
 *   DELETE /directory/<org>/service-endpoints/<id>
 *   POST   /directory/<org>/webhooks    {"timeoutMs": 60000, "enforcePorts": false}
 *   GET    /directory/<org>/webhook-deliveries   (after the calls under way end)
 */
export function registerDirectoryRoutes(app: FastifyInstance, admin: DirectoryAdmin): void {
  const orgOf = (reply: FastifyReply, label: string) => {
    const org = admin.org(label);
    if (!org) void invalid(reply, 404, `Unknown org '${label}'.`);
    return org;
  };
  type OrgParams = { Params: { org: string } };
  type UserParams = { Params: { org: string; id: string } };

  app.get('/directory', async () => admin.info());
  app.post('/directory/app', async (request, reply) => {
    const body = z.object({ secretExpired: z.boolean() }).strict().safeParse(request.body);
    if (!body.success) return invalid(reply, 400, 'Send {"secretExpired": true|false}.');
    admin.setSecretExpired(body.data.secretExpired);
    return body.data;
  });
  app.post<OrgParams>('/directory/:org/application-user', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    const body = z
      .object({ present: z.boolean(), securityRole: z.boolean() })
      .partial()
      .strict()
      .safeParse(request.body);
    if (!body.success) return invalid(reply, 400, issues(body.error));
    return org.directory.setApplicationUser(admin.clientId, body.data);
  });
  app.post<OrgParams>('/directory/:org/users', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    const body = personSchema.required({ fullname: true }).safeParse(request.body);
    if (!body.success) return invalid(reply, 400, issues(body.error));
    return reply.code(201).send(org.directory.addPerson(body.data));
  });
  app.patch<UserParams>('/directory/:org/users/:id', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    const body = personSchema.safeParse(request.body);
    if (!body.success) return invalid(reply, 400, issues(body.error));
    const row = org.directory.updatePerson(request.params.id, body.data);
    return row ?? invalid(reply, 404, `No systemuser ${request.params.id}.`);
  });
  app.delete<UserParams>('/directory/:org/users/:id', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    return org.directory.delete('systemuser', request.params.id.toLowerCase())
      ? { deleted: true }
      : invalid(reply, 404, `No systemuser ${request.params.id}.`);
  });
  app.post<OrgParams>('/directory/:org/synthetic-users', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    const body = z.object({ count: z.number().int().min(1).max(200_000) }).safeParse(request.body);
    if (!body.success) return invalid(reply, 400, 'Send {"count": <1..200000>}.');
    const synthetic = org.directory.addSyntheticPeople(body.data.count);
    return { synthetic, systemusers: org.directory.rows('systemuser').length };
  });
  app.post<OrgParams>('/directory/:org/change-tracking', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    const body = z
      .object({
        enabled: z.boolean(),
        expireInDays: z.number().min(0).max(365),
        expiredStatus: z.number().int().min(400).max(599),
        expiredCode: z.string().min(1),
        expireTokensNow: z.boolean(),
      })
      .partial()
      .strict()
      .safeParse(request.body);
    if (!body.success) return invalid(reply, 400, issues(body.error));
    const { expireTokensNow, ...knobs } = body.data;
    if (expireTokensNow) org.tracking.expireAll();
    return org.tracking.set(knobs);
  });
  app.get<OrgParams>('/directory/:org/service-endpoints', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    return org ? { value: org.webhooks.list() } : reply;
  });
  app.post<OrgParams>('/directory/:org/service-endpoints', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    const body = serviceEndpointInputSchema.safeParse(request.body);
    if (!body.success) return invalid(reply, 400, issues(body.error));
    try {
      return reply.code(201).send(org.webhooks.register(body.data));
    } catch (error) {
      return invalid(reply, 400, (error as Error).message);
    }
  });
  app.delete<UserParams>('/directory/:org/service-endpoints/:id', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    return org.webhooks.unregister(request.params.id)
      ? { deleted: true }
      : invalid(reply, 404, `No service endpoint ${request.params.id}.`);
  });
  app.post<OrgParams>('/directory/:org/webhooks', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    const body = z
      .object({ timeoutMs: z.number().int().min(1).max(600_000), enforcePorts: z.boolean() })
      .partial()
      .strict()
      .safeParse(request.body);
    if (!body.success) return invalid(reply, 400, issues(body.error));
    return org.webhooks.set(body.data);
  });
  app.get<OrgParams>('/directory/:org/webhook-deliveries', async (request, reply) => {
    const org = orgOf(reply, request.params.org);
    if (!org) return reply;
    await org.webhooks.idle();
    return { value: org.webhooks.deliveries() };
  });
}
