import { useState } from 'react';
import type { MethodOutput } from '../../../src-shared/contract';
import type { WorkstationClient } from '../bridge/workstation-client';

/** What the row says after a click: nothing when the folder opened, else where the logs are. */
export function openLogsNote(answer: MethodOutput<'app:openLogs'>): string | undefined {
  if (answer.opened) return undefined;
  return answer.path
    ? `The folder could not be opened. The logs are in ${answer.path}.`
    : 'The log folder is part of the desktop app.';
}

/**
 * Settings > General > "Open logs": opens the desktop app's log folder, so a user can attach the
 * newest file to a problem report. The web host has no log folder; it logs to its terminal.
 */
export function OpenLogsRow({
  client,
  host,
}: {
  readonly client: WorkstationClient;
  readonly host: 'electron' | 'web' | undefined;
}) {
  const [note, setNote] = useState<string | undefined>(undefined);
  if (host === 'web')
    return (
      <p className="hint">
        The desktop app keeps a log folder; here the log is in the terminal that runs Workstation.
      </p>
    );
  if (host !== 'electron') return null;
  return (
    <div className="open-logs">
      <button
        type="button"
        onClick={() =>
          void client.call('app:openLogs', {}).then(
            (answer) => setNote(openLogsNote(answer)),
            (error: unknown) => setNote(error instanceof Error ? error.message : String(error)),
          )
        }
      >
        Open logs
      </button>
      {note ? (
        <p role="status" className="hint">
          {note}
        </p>
      ) : null}
    </div>
  );
}
