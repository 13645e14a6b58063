import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { integrationCatalog, integrationInfo } from '../../src-shared/integrations/catalog';
import {
  auditActions,
  integrationKeySchema,
  objectIdSchema,
  type Audience,
  type AuditEntry,
} from '../../src-shared/tokenstore/api';
import type { AdminActor } from '../admin/admin-actions';
import type { AuditFilter } from '../db/token-store-repository';
import { auditCsv } from './audit-csv';
import { sendPage, sessionOf, type ConsoleContext } from './console-context';
import type { ConsoleGroup, ConsoleUser } from './console-directory';
import {
  directoryDraft,
  directoryFromForm,
  type DirectorySettingsDraft,
} from './directory-settings-form';
import { FormBody } from './form-body';
import { html, type SafeHtml } from './html';
import { auditPage, type AuditFilterForm } from './pages/audit-page';
import { directoryPage } from './pages/directory-page';
import {
  integrationForm,
  integrationsList,
  type AudienceNames,
  type IntegrationDraft,
} from './pages/integrations-page';
import { consolePage } from './pages/layout';
import { revokeConfirmation, usersPage, type UserRow } from './pages/users-page';
import { settingsFields, settingsFromForm } from './settings-form';

const AUDIT_PAGE = 100;
const CSV_ROWS = 10_000;
const USERS_PAGE = 50;
const integrationNames = new Map(integrationCatalog.map((info) => [info.id, info.name]));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noticeSchema = z.object({
  saved: z.string().max(100).optional(),
  error: z.string().max(300).optional(),
});

/** `datetime-local` text (taken as UTC) to ms, or undefined. */
const timeOf = (value: string): number | undefined => {
  if (!value) return undefined;
  const at = Date.parse(/Z$|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(at) ? undefined : at;
};

/** The console's pages behind sign-in: Integrations, Users, Audit, Directory sync. */
export function registerConsolePageRoutes(app: FastifyInstance, context: ConsoleContext): void {
  const { directory, actions, repository } = context;
  const actorOf = (request: FastifyRequest): AdminActor => {
    const session = sessionOf(request);
    return { tid: session.tid, oid: session.oid, requestId: request.id };
  };
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      title: string;
      current: string;
      body: SafeHtml;
      status?: number;
      notice?: { kind: 'ok' | 'error'; text: string };
    },
  ) => {
    const session = sessionOf(request);
    const notice =
      options.notice ??
      (() => {
        const query = noticeSchema.safeParse(request.query);
        if (!query.success) return undefined;
        if (query.data.error) return { kind: 'error' as const, text: query.data.error };
        if (query.data.saved) return { kind: 'ok' as const, text: query.data.saved };
        return undefined;
      })();
    return sendPage(
      reply,
      consolePage({
        title: options.title,
        current: options.current,
        admin: session,
        body: options.body,
        notice,
      }),
      options.status,
    );
  };
  const formOf = (request: FastifyRequest) =>
    request.body instanceof FormBody ? request.body : FormBody.parse('');

  /** Directory entries by object id, for the audiences and the audit log to show names. */
  const namesFor = async (
    tid: string,
    groups: readonly string[],
    users: readonly string[],
  ): Promise<AudienceNames> => {
    const [foundGroups, foundUsers] = directory
      ? await Promise.all([
          groups.length ? directory.groupsByObjectId(tid, groups) : Promise.resolve([]),
          users.length ? directory.usersByObjectId(tid, users) : Promise.resolve([]),
        ])
      : [[], []];
    return {
      groups: new Map(
        foundGroups.flatMap((group) =>
          group.objectId ? [[group.objectId.toLowerCase(), group]] : [],
        ),
      ),
      users: new Map(
        foundUsers.flatMap((user) => (user.objectId ? [[user.objectId.toLowerCase(), user]] : [])),
      ),
    };
  };
  const membersOf = (audience: Audience) => ({
    groups: audience.kind === 'groups' ? audience.groups : [],
    users: audience.kind === 'users' ? audience.users : [],
  });

  // Integrations --------------------------------------------------------------------------------

  app.get('/admin/integrations', async (request, reply) => {
    const session = sessionOf(request);
    const configs = await actions.integrations(session.tid);
    const members = configs.map((config) => membersOf(config.audience));
    const names = await namesFor(
      session.tid,
      members.flatMap((member) => member.groups),
      members.flatMap((member) => member.users),
    );
    return page(request, reply, {
      title: 'Integrations',
      current: '/admin/integrations',
      body: integrationsList({ catalog: integrationCatalog, configs, names, csrf: session.csrf }),
    });
  });

  const renderIntegration = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    draft: IntegrationDraft,
    extra: {
      found?: { groups: ConsoleGroup[]; users: ConsoleUser[] };
      issues?: { path: string; message: string }[];
      status?: number;
      notice?: { kind: 'ok' | 'error'; text: string };
    } = {},
  ) => {
    const session = sessionOf(request);
    const info = integrationInfo(id);
    if (!info) return reply.callNotFound();
    const names = await namesFor(session.tid, draft.groups, draft.users);
    return page(request, reply, {
      title: info.name,
      current: '/admin/integrations',
      status: extra.status,
      notice: extra.notice,
      body: integrationForm({
        info,
        draft,
        names,
        found: extra.found,
        directoryAvailable: Boolean(directory),
        issues: extra.issues ?? [],
        csrf: session.csrf,
      }),
    });
  };

  app.get<{ Params: { id: string } }>('/admin/integrations/:id', async (request, reply) => {
    const session = sessionOf(request);
    const info = integrationInfo(request.params.id);
    if (!info) return reply.callNotFound();
    const config = (await actions.integrations(session.tid)).find(
      (candidate) => candidate.id === info.id,
    );
    const audience = config?.audience ?? { kind: 'all' as const };
    return renderIntegration(request, reply, info.id, {
      enabled: config?.enabled ?? false,
      kind: audience.kind,
      ...membersOf(audience),
      fields: settingsFields(info, context.targetPolicy, config?.settings ?? {}),
      find: '',
    });
  });

  app.post<{ Params: { id: string } }>('/admin/integrations/:id', async (request, reply) => {
    const session = sessionOf(request);
    const info = integrationInfo(request.params.id);
    if (!info) return reply.callNotFound();
    const form = formOf(request);
    const blank = settingsFields(info, context.targetPolicy, {});
    const settings = settingsFromForm(blank, form);
    const kind = z.enum(['all', 'groups', 'users']).catch('all').parse(form.get('audience'));
    const draft: IntegrationDraft = {
      enabled: form.get('enabled') === 'on',
      kind,
      groups: form.all('group').filter((id) => GUID.test(id)),
      users: form.all('user').filter((id) => GUID.test(id)),
      fields: settingsFields(info, context.targetPolicy, settings),
      find: form.get('find').slice(0, 100),
    };
    if (form.get('intent') === 'search') {
      const found =
        directory && draft.find
          ? {
              groups: await directory.listGroups(session.tid, { search: draft.find, limit: 20 }),
              users: (
                await directory.listUsers(session.tid, { search: draft.find, offset: 0, limit: 20 })
              ).users,
            }
          : { groups: [], users: [] };
      return renderIntegration(request, reply, info.id, draft, { found });
    }
    const audience: Audience | undefined =
      kind === 'all'
        ? { kind: 'all' }
        : kind === 'groups'
          ? draft.groups.length
            ? { kind: 'groups', groups: [...draft.groups] }
            : undefined
          : draft.users.length
            ? { kind: 'users', users: [...draft.users] }
            : undefined;
    if (!audience)
      return renderIntegration(request, reply, info.id, draft, {
        status: 400,
        issues: [
          {
            path: 'audience',
            message: `Choose at least one ${kind === 'groups' ? 'group' : 'user'}, or Everyone.`,
          },
        ],
        notice: { kind: 'error', text: 'Nothing was saved.' },
      });
    const done = await actions.setIntegration(actorOf(request), info.id, {
      enabled: draft.enabled,
      audience,
      settings,
    });
    if (!done.ok)
      return renderIntegration(request, reply, info.id, draft, {
        status: 400,
        issues: done.issues ? [...done.issues] : [],
        notice: { kind: 'error', text: `${done.message} Nothing was saved.` },
      });
    const revoked = done.revokedBlobs
      ? ` ${done.revokedBlobs} stored sign-ins of people no longer admitted were deleted.`
      : '';
    return reply.redirect(
      `/admin/integrations?saved=${encodeURIComponent(`${info.name} saved.${revoked}`)}`,
      303,
    );
  });

  app.post<{ Params: { id: string } }>(
    '/admin/integrations/:id/disable',
    async (request, reply) => {
      const info = integrationInfo(request.params.id);
      if (!info) return reply.callNotFound();
      const done = await actions.disableIntegration(actorOf(request), info.id);
      const revoked =
        done.ok && done.revokedBlobs ? ` ${done.revokedBlobs} stored sign-ins were deleted.` : '';
      return reply.redirect(
        `/admin/integrations?saved=${encodeURIComponent(`${info.name} disabled.${revoked}`)}`,
        303,
      );
    },
  );

  // Users ---------------------------------------------------------------------------------------

  app.get<{ Querystring: { search?: string; offset?: string } }>(
    '/admin/users',
    async (request, reply) => {
      const session = sessionOf(request);
      const search = z
        .string()
        .trim()
        .max(100)
        .catch('')
        .parse(request.query.search ?? '');
      const offset = z.coerce
        .number()
        .int()
        .min(0)
        .max(1_000_000)
        .catch(0)
        .parse(request.query.offset ?? 0);
      const uses = await repository.connectedIntegrations(session.tid);
      const usesOf = (oid: string | null) =>
        oid ? uses.filter((use) => use.oid === oid.toLowerCase()) : [];
      const synced = directory
        ? await directory.listUsers(session.tid, {
            search: search || undefined,
            offset,
            limit: USERS_PAGE,
          })
        : undefined;
      // Before the first sync the directory is empty: the users the store has seen stand in, by id.
      const directoryAvailable = Boolean(synced && (synced.total > 0 || search));
      let rows: UserRow[];
      let total: number;
      if (synced && directoryAvailable) {
        rows = synced.users.map((user) => ({
          objectId: user.objectId,
          user,
          uses: usesOf(user.objectId),
        }));
        total = synced.total;
      } else {
        const seen = (await repository.seenPrincipals(session.tid)).filter((principal) =>
          principal.oid.includes(search.toLowerCase()),
        );
        total = seen.length;
        rows = seen.slice(offset, offset + USERS_PAGE).map((principal) => ({
          objectId: principal.oid,
          user: undefined,
          uses: usesOf(principal.oid),
        }));
      }
      return page(request, reply, {
        title: 'Users',
        current: '/admin/users',
        body: usersPage({
          rows,
          search,
          total,
          offset,
          limit: USERS_PAGE,
          integrationNames,
          directoryAvailable,
        }),
      });
    },
  );

  const revokeTarget = async (request: FastifyRequest<{ Params: { oid: string } }>) => {
    const oid = objectIdSchema.safeParse(request.params.oid);
    if (!oid.success) return undefined;
    const session = sessionOf(request);
    const id = oid.data.toLowerCase();
    const [user] = directory ? await directory.usersByObjectId(session.tid, [id]) : [];
    const uses = (await repository.connectedIntegrations(session.tid)).filter(
      (use) => use.oid === id,
    );
    return { id, name: user?.fullName ?? id, uses };
  };

  app.get<{ Params: { oid: string } }>('/admin/users/:oid/revoke', async (request, reply) => {
    const target = await revokeTarget(request);
    if (!target) return reply.callNotFound();
    return page(request, reply, {
      title: `Revoke ${target.name}’s sign-ins`,
      current: '/admin/users',
      body: revokeConfirmation({
        objectId: target.id,
        name: target.name,
        uses: target.uses,
        integrationNames,
        csrf: sessionOf(request).csrf,
      }),
    });
  });

  app.post<{ Params: { oid: string } }>('/admin/users/:oid/revoke', async (request, reply) => {
    const target = await revokeTarget(request);
    if (!target) return reply.callNotFound();
    const integration = integrationKeySchema
      .optional()
      .catch(undefined)
      .parse(formOf(request).get('integration') || undefined);
    const done = await actions.revokeUser(actorOf(request), target.id, integration);
    const count = done.ok ? done.deleted : 0;
    return reply.redirect(
      `/admin/users?saved=${encodeURIComponent(`${target.name}: ${count} stored ${count === 1 ? 'sign-in' : 'sign-ins'} deleted.`)}`,
      303,
    );
  });

  // Audit ---------------------------------------------------------------------------------------

  const auditQuery = z.object({
    user: z.string().trim().max(200).catch(''),
    action: z.enum(auditActions).or(z.literal('')).catch(''),
    integration: integrationKeySchema.or(z.literal('')).catch(''),
    from: z.string().max(40).catch(''),
    to: z.string().max(40).catch(''),
    before: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/)
      .optional()
      .catch(undefined),
  });

  /** The filter a query asks for; a user typed by name is looked up in the directory. */
  const filterOf = async (tid: string, query: unknown) => {
    const parsed = auditQuery.parse(query ?? {});
    const form: AuditFilterForm = {
      user: parsed.user,
      action: parsed.action,
      integration: parsed.integration,
      from: parsed.from,
      to: parsed.to,
    };
    let user: string | undefined;
    let choices: { objectId: string; label: string }[] = [];
    if (parsed.user && GUID.test(parsed.user)) user = parsed.user.toLowerCase();
    else if (parsed.user && directory) {
      const found = (
        await directory.listUsers(tid, { search: parsed.user, offset: 0, limit: 10 })
      ).users.filter((candidate): candidate is ConsoleUser & { objectId: string } =>
        Boolean(candidate.objectId),
      );
      if (found.length === 1) user = found[0]?.objectId.toLowerCase();
      else
        choices = found.map((candidate) => ({
          objectId: candidate.objectId,
          label: `${candidate.fullName}${candidate.email ? ` <${candidate.email}>` : ''}`,
        }));
    }
    // A name that matches no one (or several) matches no entry until one is chosen.
    const filter: AuditFilter = {
      ...(parsed.user ? { user: user ?? '-' } : {}),
      ...(parsed.action ? { action: parsed.action } : {}),
      ...(parsed.integration ? { integration: parsed.integration } : {}),
      ...(timeOf(parsed.from) !== undefined ? { from: timeOf(parsed.from) } : {}),
      ...(timeOf(parsed.to) !== undefined ? { to: timeOf(parsed.to) } : {}),
    };
    const [at, id] = parsed.before?.split(':') ?? [];
    return {
      form,
      filter,
      choices,
      before: at && id ? { at: Number(at), id } : undefined,
      query: new URLSearchParams({ ...form }).toString(),
    };
  };

  const namerFor = async (tid: string, entries: readonly AuditEntry[]) => {
    const ids = [
      ...new Set(
        entries
          .flatMap((entry) => [entry.actorId, entry.targetUserId])
          .filter((id): id is string => Boolean(id)),
      ),
    ];
    const names = await namesFor(tid, [], ids);
    return (oid: string | null) =>
      oid ? (names.users.get(oid.toLowerCase())?.fullName ?? oid) : '';
  };

  app.get('/admin/audit', async (request, reply) => {
    const session = sessionOf(request);
    const { form, filter, choices, before, query } = await filterOf(session.tid, request.query);
    await context.audit.flush();
    const entries = await repository.readAudit(session.tid, AUDIT_PAGE, before, filter);
    actions.record(actorOf(request), 'admin.audit.read', { outcome: 200 });
    const last = entries.at(-1);
    return page(request, reply, {
      title: 'Audit',
      current: '/admin/audit',
      body: auditPage({
        form,
        integrations: integrationCatalog.map((info) => ({ id: info.id, name: info.name })),
        entries,
        nameOf: await namerFor(session.tid, entries),
        query,
        next:
          entries.length === AUDIT_PAGE && last ? `${Date.parse(last.at)}:${last.id}` : undefined,
        userChoices: choices,
      }),
    });
  });

  app.get('/admin/audit.csv', async (request, reply) => {
    const session = sessionOf(request);
    const { filter } = await filterOf(session.tid, request.query);
    await context.audit.flush();
    const entries = await repository.readAudit(session.tid, CSV_ROWS, undefined, filter);
    actions.record(actorOf(request), 'admin.audit.read', { outcome: 200 });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="workstation-audit.csv"')
      .send(auditCsv(entries, await namerFor(session.tid, entries)));
  });

  // Directory sync ------------------------------------------------------------------------------

  const renderDirectory = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      draft?: DirectorySettingsDraft;
      issues?: { path: string; message: string }[];
      status?: number;
    } = {},
  ) => {
    const session = sessionOf(request);
    if (!directory)
      return page(request, reply, {
        title: 'Directory sync',
        current: '/admin/directory',
        body: consoleUnavailable(),
      });
    const [status, runs, settings] = await Promise.all([
      directory.status(session.tid),
      directory.runs(session.tid, 20),
      directory.settings(session.tid),
    ]);
    return page(request, reply, {
      title: 'Directory sync',
      current: '/admin/directory',
      status: extra.status,
      ...(extra.issues?.length
        ? { notice: { kind: 'error' as const, text: 'Nothing was saved.' } }
        : {}),
      body: directoryPage({
        status,
        runs,
        draft: extra.draft ?? directoryDraft(settings),
        issues: extra.issues ?? [],
        csrf: session.csrf,
      }),
    });
  };

  app.get('/admin/directory', async (request, reply) => renderDirectory(request, reply));

  app.post('/admin/directory/sync', async (request, reply) => {
    if (!directory) return reply.callNotFound();
    const actor = actorOf(request);
    const started = await directory.syncNow(actor);
    actions.record(actor, 'admin.directory.sync', {
      outcome: started.unavailable ? 503 : 202,
      detail: { before: null, after: { started: started.started, runId: started.runId } },
    });
    return reply.redirect(
      started.unavailable
        ? `/admin/directory?error=${encodeURIComponent('Directory sync is not set up, or is turned off, on this token store.')}`
        : `/admin/directory?saved=${encodeURIComponent(started.started ? 'Sync started.' : 'A sync is already running.')}`,
      303,
    );
  });

  app.post('/admin/directory/settings', async (request, reply) => {
    if (!directory) return reply.callNotFound();
    const actor = actorOf(request);
    const before = await directory.settings(actor.tid);
    const { draft, input } = directoryFromForm(formOf(request), before);
    const saved = await directory.saveSettings(actor, input);
    if (!saved.ok)
      return renderDirectory(request, reply, { draft, issues: [...saved.issues], status: 400 });
    actions.record(actor, 'admin.directory.set', {
      outcome: 200,
      detail: { before, after: saved.settings },
    });
    return reply.redirect(
      `/admin/directory?saved=${encodeURIComponent('Directory settings saved.')}`,
      303,
    );
  });
}

/** The Directory sync page of a store without a directory sync. */
function consoleUnavailable(): SafeHtml {
  return html`<p class="muted">This token store has no directory sync.</p>`;
}
