import { useEffect, useState } from 'react';
import { acceleratorSchema, themeSchema } from '../../../src-shared/domain/settings';
import { useSlice, useStores } from '../app/stores-context';
import { OpenLogsRow } from './open-logs-row';

/** Theme and hotkey; the hotkey is validated here and again in main. */
export function GeneralTab() {
  const { settings, client } = useStores();
  const current = useSlice(settings, (state) => state.settings);
  const error = useSlice(settings, (state) => state.error);
  // The user's unsaved edit; without one the field shows the saved shortcut.
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const hotkey = draft ?? current.hotkey;
  const [registered, setRegistered] = useState<boolean | undefined>(undefined);
  const [host, setHost] = useState<'electron' | 'web' | undefined>(undefined);
  const hotkeyValid = acceleratorSchema.safeParse(hotkey).success;

  useEffect(() => {
    void client.call('app:info', {}).then(
      (info) => {
        setRegistered(info.hotkeyRegistered);
        setHost(info.host);
      },
      () => undefined,
    );
  }, [client, current.hotkey]);

  return (
    <form className="general" onSubmit={(event) => event.preventDefault()}>
      <label>
        Theme
        <select
          value={current.theme}
          onChange={(event) =>
            void settings.getState().update({ theme: themeSchema.parse(event.target.value) })
          }
        >
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <label>
        Launcher shortcut
        <input
          value={hotkey}
          onChange={(event) => setDraft(event.target.value)}
          aria-invalid={!hotkeyValid}
          spellCheck={false}
        />
      </label>
      {!hotkeyValid ? (
        <p className="hint">Use modifiers and one key, for example CommandOrControl+Shift+E.</p>
      ) : null}
      <button
        type="button"
        disabled={!hotkeyValid || hotkey === current.hotkey}
        onClick={() =>
          void settings
            .getState()
            .update({ hotkey })
            .then(() => setDraft(undefined))
        }
      >
        Save shortcut
      </button>
      {host === 'web' ? (
        <p className="hint">
          The shortcut works in the desktop app; in the browser, keep this tab open.
        </p>
      ) : null}
      {host === 'electron' && registered === false ? (
        <p role="alert" className="error">
          {current.hotkey} is taken by another app. Pick another shortcut; the tray icon still opens
          Workstation.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <OpenLogsRow client={client} host={host} />
    </form>
  );
}
