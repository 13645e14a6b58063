import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import {
  defaultSettings,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../src-shared/domain/settings';
import { workstationError } from '../../src-shared/errors';
import type { IEventSink } from '../../src-shared/event-sink';

/**
 * The user's preferences, one JSON file in the data directory. Writes are atomic (temp file +
 * rename) and a file that fails its schema is kept aside, never silently overwritten.
 */
export class SettingsStore {
  #current: Settings | undefined;

  constructor(
    private readonly filePath: string,
    private readonly events: IEventSink,
    private readonly logger: Logger,
  ) {}

  /** The current settings, read from disk on first use. */
  async get(): Promise<Settings> {
    this.#current ??= await this.#load();
    return this.#current;
  }

  /** Applies a validated patch, persists it and announces the change. */
  async set(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch });
    await this.#write(next);
    this.#current = next;
    this.events.emit('settings:didChange', next);
    return next;
  }

  async #load(): Promise<Settings> {
    let raw: string;
    try {
      raw = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultSettings;
      throw workstationError(
        'internal',
        'Workstation could not read its settings file.',
        {},
        error,
      );
    }
    try {
      const parsed = settingsSchema.partial().parse(JSON.parse(raw));
      return { ...defaultSettings, ...parsed };
    } catch {
      // Keep the unreadable file for the user instead of overwriting it with defaults.
      const aside = `${this.filePath}.unreadable-${Date.now()}`;
      await rename(this.filePath, aside).catch(() => undefined);
      this.logger.warn({ aside }, 'settings file was unreadable; kept aside and using defaults');
      return defaultSettings;
    }
  }

  async #write(settings: Settings): Promise<void> {
    await mkdir(dirname(this.filePath), { recursive: true });
    const temp = `${this.filePath}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.filePath);
  }
}
