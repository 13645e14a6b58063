import { createHmac, randomBytes } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { CrmTask } from '../../../src-shared/domain/tasks';
import { workstationError } from '../../../src-shared/errors';
import { recordUrl } from './map-dynamics';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const LOOKUP = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const taskRowSchema = z
  .object({
    activityid: z.string(),
    subject: z.string().nullable(),
    scheduledend: z.string().nullable().optional(),
    prioritycode: z.number().nullable().optional(),
    '@odata.etag': z.string(),
  })
  .passthrough();
const priorities = { 0: 'low', 1: 'normal', 2: 'high' } as const;
/** A task as this source lists it; the connection manager adds which connection it came from. */
type TaskRow = Omit<CrmTask, 'source' | 'sourceLabel'>;

/**
 * My CRM Tasks: WhoAmI, then the user's open tasks (GUID unquoted in the filter, as OData's guidValue rule has it:
 * https://docs.oasis-open.org/odata/odata/v4.0/os/abnf/odata-abnf-construction-rules.txt) with
 * the regarding record's name, overdue first then by due date; completing one PATCHes
 * statecode/statuscode guarded by the task's ETag.
 */
export class DynamicsTasks {
  readonly #key = randomBytes(32);
  readonly #known = new Map<string, { activityId: string; etag: string }>();
  #userId: string | undefined;

  constructor(
    private readonly http: AxiosInstance,
    private readonly orgUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  async list(signal?: AbortSignal): Promise<TaskRow[]> {
    this.#userId ??= z
      .object({ UserId: z.string().uuid() })
      .parse((await this.http.get('/api/data/v9.2/WhoAmI', { signal })).data).UserId;
    const params = new URLSearchParams({
      $select: 'subject,scheduledend,prioritycode,_regardingobjectid_value',
      $filter: `_ownerid_value eq ${this.#userId} and statecode eq 0`,
      $orderby: 'scheduledend asc',
      $top: '100',
    });
    const response = await this.http.get(`/api/data/v9.2/tasks?${params.toString()}`, {
      signal,
      headers: {
        prefer: `odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname"`,
      },
    });
    const rows = z.object({ value: z.array(taskRowSchema) }).parse(response.data).value;
    const now = this.now();
    const tasks = rows.map((row): TaskRow => {
      const id = `task:${createHmac('sha256', this.#key).update(row.activityid).digest('base64url').slice(0, 22)}`;
      this.#known.set(id, { activityId: row.activityid, etag: row['@odata.etag'] });
      const regardingName = row[`_regardingobjectid_value${FORMATTED}`];
      const regardingType = row[`_regardingobjectid_value${LOOKUP}`];
      return {
        id,
        subject: row.subject ?? '(no subject)',
        ...(row.scheduledend ? { dueAt: row.scheduledend } : {}),
        overdue: row.scheduledend ? Date.parse(row.scheduledend) < now : false,
        priority: priorities[(row.prioritycode ?? 1) as 0 | 1 | 2] ?? 'normal',
        ...(typeof regardingName === 'string'
          ? {
              regarding: {
                name: regardingName,
                entityType: typeof regardingType === 'string' ? regardingType : 'record',
              },
            }
          : {}),
        url: recordUrl(this.orgUrl, 'task', row.activityid),
      };
    });
    // Overdue first, then by due date; undated last.
    return tasks.sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity),
    );
  }

  async complete(id: string): Promise<void> {
    const known = this.#known.get(id);
    if (!known)
      throw workstationError('not_found', 'That task is no longer in the list; refresh it.');
    const response = await this.http.patch(
      `/api/data/v9.2/tasks(${known.activityId})`,
      { statecode: 1, statuscode: 5 },
      {
        headers: { 'if-match': known.etag },
        validateStatus: (status) => status < 400 || status === 412 || status === 404,
      },
    );
    if (response.status === 412)
      throw workstationError(
        'conflict',
        'The task changed in Dynamics since it was listed; the list was refreshed.',
      );
    if (response.status === 404)
      throw workstationError('not_found', 'The task no longer exists in Dynamics.');
    this.#known.delete(id);
  }
}
