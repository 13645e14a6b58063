import type {
  ConsoleDirectory,
  ConsoleGroup,
  ConsoleSyncRun,
  ConsoleUser,
} from '../console-directory';

/**
 * A directory held in memory, for the console's own tests: the pages against the interface,
 * whatever fills it. (The store fills it from the directory sync's tables.)
 */
export class MemoryDirectory implements ConsoleDirectory {
  readonly runsStarted: string[] = [];
  #settings: unknown = null;

  constructor(
    readonly users: ConsoleUser[],
    readonly groups: ConsoleGroup[],
  ) {}

  async listUsers(_tid: string, query: { search?: string; offset: number; limit: number }) {
    const found = this.users.filter((user) =>
      matches(`${user.fullName} ${user.email ?? ''}`, query.search),
    );
    return { users: found.slice(query.offset, query.offset + query.limit), total: found.length };
  }
  async usersByObjectId(_tid: string, ids: readonly string[]) {
    return this.users.filter((user) => user.objectId && ids.includes(user.objectId));
  }
  async groupsByObjectId(_tid: string, ids: readonly string[]) {
    return this.groups.filter((group) => group.objectId && ids.includes(group.objectId));
  }
  async listGroups(_tid: string, query: { search?: string; limit: number }) {
    return this.groups.filter((group) => matches(group.name, query.search)).slice(0, query.limit);
  }
  async status() {
    return {
      configured: this.#settings !== null,
      enabled: true,
      lastSuccessAt: null,
      nextRunAt: null,
      users: { active: this.users.length, inactive: 0 },
      groups: this.groups.length,
    };
  }
  async runs(): Promise<ConsoleSyncRun[]> {
    return this.runsStarted.map((id) => ({
      id,
      kind: 'full',
      trigger: 'manual',
      status: 'succeeded',
      startedAt: new Date(0).toISOString(),
      finishedAt: null,
      created: this.users.length,
      updated: 0,
      deactivated: 0,
      error: null,
      note: null,
    }));
  }
  async settings() {
    return this.#settings;
  }
  async saveSettings(_actor: unknown, input: unknown) {
    if (typeof input !== 'object' || input === null || !('orgUrl' in input))
      return { ok: false as const, issues: [{ path: 'orgUrl', message: 'Required' }] };
    this.#settings = input;
    return { ok: true as const, settings: input };
  }
  async syncNow() {
    const id = `run-${this.runsStarted.length + 1}`;
    this.runsStarted.push(id);
    return { started: true, runId: id };
  }
}

const matches = (text: string, search: string | undefined) =>
  !search || text.toLowerCase().includes(search.toLowerCase());
