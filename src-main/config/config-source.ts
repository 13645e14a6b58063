import { workstationError } from '../../src-shared/errors';

/** Where a field's value came from, for messages an admin or a developer can act on. */
export interface ConfigSource {
  /** The file, the registry key or "the environment". */
  readonly origin: string;
  /** The organisation's policy: its fields win over every other source and are reported as managed. */
  readonly managed: boolean;
  /** The source's raw content (parsed JSON, a registry tree, environment values); checked later. */
  readonly document: unknown;
  /** How the source itself names a field (an environment variable, a registry value), when not by its dotted path. */
  readonly fieldName?: (path: readonly string[]) => string;
}

/** A source that exists but cannot be read: Workstation does not start on half a policy. */
export function unreadable(origin: string, why: string) {
  return workstationError(
    'invalid_input',
    `Workstation's configuration is not valid: ${origin} could not be read: ${why}.`,
  );
}
