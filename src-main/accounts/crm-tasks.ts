import type { CrmTask, TaskList, WidgetSource, WidgetStatus } from '../../src-shared/domain/tasks';
import { isWorkstationError, workstationError } from '../../src-shared/errors';
import type { ConnectionManager } from './connection-manager';
import type { LiveConnection } from './live-connection';

/** The most tasks the widget receives (the contract's cap). */
const MAX_TASKS = 200;

/**
 * My CRM Tasks across every connected CRM: listed in parallel, each task labelled with its
 * connection, overdue first then by due date; one failing CRM is one source's state, never an
 * empty widget. Completing a task goes back to the connection that listed it.
 */
export class CrmTasks {
  // Which connection listed each task id, for completing it.
  readonly #owners = new Map<string, LiveConnection>();

  constructor(private readonly connections: ConnectionManager) {}

  async list(): Promise<TaskList> {
    const sources = (await this.connections.live()).filter((connection) =>
      connection.descriptor.info.capabilities.includes('tasks'),
    );
    if (sources.length === 0)
      return { tasks: [], status: await nothingLive(this.connections, 'tasks', 'your tasks') };
    const answers = await Promise.all(
      sources.map(async (connection): Promise<{ tasks: CrmTask[]; status: WidgetSource }> => {
        const status = { source: connection.sourceId, label: connection.sourceLabel };
        try {
          const source = await connection.tasks();
          const tasks = ((await source?.list()) ?? []).map((task) => ({
            ...task,
            source: connection.sourceId,
            sourceLabel: connection.sourceLabel,
          }));
          for (const task of tasks) this.#owners.set(task.id, connection);
          return { tasks, status: { ...status, state: 'ok', fetchedAt: Date.now() } };
        } catch (error) {
          return { tasks: [], status: { ...status, ...widgetFailure(error) } };
        }
      }),
    );
    const tasks = answers
      .flatMap((answer) => answer.tasks)
      .sort((a, b) => Number(b.overdue) - Number(a.overdue) || due(a) - due(b))
      .slice(0, MAX_TASKS);
    const statuses = answers.map((answer) => answer.status);
    const ok = statuses.some((status) => status.state === 'ok');
    return {
      tasks,
      status: ok
        ? { state: 'ok', fetchedAt: Date.now() }
        : {
            state: statuses[0]?.state ?? 'failed',
            ...(statuses[0]?.message ? { message: statuses[0].message } : {}),
          },
      sources: statuses,
    };
  }

  async complete(id: string): Promise<{ completed: true }> {
    const connection = this.#owners.get(id);
    const source = await connection?.tasks();
    if (!connection || !source)
      throw workstationError('not_found', 'That task is no longer in the list; refresh it.');
    await source.complete(id);
    this.#owners.delete(id);
    return { completed: true };
  }
}

/**
 * What a widget says with no live source: the organisation turned off what the user had (or never
 * turned any on), so Connect cannot help; or which integrations to connect.
 */
export async function nothingLive(
  connections: ConnectionManager,
  capability: 'tasks' | 'meetings',
  what: string,
): Promise<WidgetStatus> {
  const turnedOff = await connections.turnedOffWith(capability);
  if (turnedOff.length > 0)
    return {
      state: 'not_enabled',
      message: `Your organisation has turned off ${turnedOff.join(' and ')} for you, so Workstation cannot show ${what}.`,
    };
  const offered = await connections.offeredWith(capability);
  if (offered.length === 0)
    return {
      state: 'not_enabled',
      message: `Your organisation has not turned on ${connections.namesWith(capability).join(' or ')} for you, so Workstation cannot show ${what}.`,
    };
  return {
    state: 'not_connected',
    message: `Connect ${offered.join(' or ')} in Settings > Integrations to see ${what}.`,
  };
}

const due = (task: CrmTask) => (task.dueAt ? Date.parse(task.dueAt) : Infinity);

/** A widget source's failure as the user reads it. */
export function widgetFailure(error: unknown): {
  state: 'needs_reconnect' | 'failed';
  message: string;
} {
  if (
    isWorkstationError(error) &&
    (error.code === 'needs_reconnect' || error.code === 'needs_sign_in')
  )
    return { state: 'needs_reconnect', message: error.message };
  return {
    state: 'failed',
    message: isWorkstationError(error) ? error.message : 'Could not be loaded.',
  };
}
