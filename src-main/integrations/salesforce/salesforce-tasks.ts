import { createHmac, randomBytes } from 'node:crypto';
import type { CrmTask } from '../../../src-shared/domain/tasks';
import { workstationError } from '../../../src-shared/errors';
import type { ITasksSource } from '../integration-descriptor';
import type { SalesforceApi } from './salesforce-api';
import { taskRowSchema, toTask } from './map-salesforce';
import { MAX_TASKS, myOpenTasksSoql } from './soql';

/** A task as this source lists it; the connection manager adds which connection it came from. */
type TaskRow = Omit<CrmTask, 'source' | 'sourceLabel'>;

/**
 * My CRM Tasks from one Salesforce org: the signed-in user's open tasks (their id from UserInfo,
 * asked once), every batch of the query; completing one PATCHes its Status to Completed, which
 * closes it in a default org ("Task", https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm).
 */
export class SalesforceTasks implements ITasksSource {
  readonly #key = randomBytes(32);
  readonly #known = new Map<string, string>();
  #userId: string | undefined;

  constructor(
    private readonly api: SalesforceApi,
    private readonly instanceUrl: string,
    private readonly sourceLabel: string,
    private readonly now: () => number = Date.now,
  ) {}

  async list(signal?: AbortSignal): Promise<TaskRow[]> {
    this.#userId ??= await this.api.currentUserId(signal);
    const rows = await this.api.query(myOpenTasksSoql(this.#userId), {
      signal,
      maxRecords: MAX_TASKS,
    });
    const now = this.now();
    return rows.flatMap((raw) => {
      const parsed = taskRowSchema.safeParse(raw);
      if (!parsed.success) return [];
      const id = `task:${createHmac('sha256', this.#key).update(parsed.data.Id.slice(0, 15)).digest('base64url').slice(0, 22)}`;
      this.#known.set(id, parsed.data.Id);
      return [toTask(parsed.data, { id, instanceUrl: this.instanceUrl, now })];
    });
  }

  async complete(id: string): Promise<void> {
    const recordId = this.#known.get(id);
    if (!recordId)
      throw workstationError('not_found', 'That task is no longer in the list; refresh it.');
    const outcome = await this.api.update('Task', recordId, { Status: 'Completed' });
    if (!outcome.ok && outcome.status === 404) {
      this.#known.delete(id);
      throw workstationError('not_found', `The task no longer exists in ${this.sourceLabel}.`);
    }
    if (!outcome.ok) {
      // An org may rename or restrict the Completed status (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST) or validate tasks.
      throw workstationError(
        'upstream_failed',
        `${this.sourceLabel} did not let Workstation complete the task${outcome.errorCode ? ` (${outcome.errorCode})` : ''}. Complete it in Salesforce.`,
        { retryable: false },
      );
    }
    this.#known.delete(id);
  }
}
