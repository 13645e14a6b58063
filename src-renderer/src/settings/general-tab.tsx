import { useEffect, useState, type KeyboardEvent } from 'react';
import type { AppInfo } from '../../../src-shared/domain/app-info';
import { themeSchema, type SettingsPatch } from '../../../src-shared/domain/settings';
import { useSlice, useStores } from '../app/stores-context';
import { OpenLogsRow } from './open-logs-row';
import { captureShortcut, displayShortcut } from './shortcut-capture';

/** Which row was saved last, for its "Saved" confirmation. */
type Row = 'hotkey' | 'openAtLogin' | 'meetingReminders';

/** Theme, the launcher shortcut (captured from the keys pressed), Open at login and meeting reminders. */
export function GeneralTab() {
  const { settings, client } = useStores();
  const current = useSlice(settings, (state) => state.settings);
  const error = useSlice(settings, (state) => state.error);
  const [info, setInfo] = useState<AppInfo | undefined>(undefined);
  const [listening, setListening] = useState(false);
  const [hint, setHint] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<Row | undefined>(undefined);
  const host = info?.host;
  const platform = info?.platform ?? '';
  const desktop = host === 'electron';

  useEffect(() => {
    void client.call('app:info', {}).then(setInfo, () => undefined);
  }, [client, current.hotkey]);

  const save = async (row: Row, patch: SettingsPatch) => {
    setSaved(undefined);
    await settings.getState().update(patch);
    if (!settings.getState().error) setSaved(row);
  };

  const onShortcutKey = (event: KeyboardEvent<HTMLInputElement>) => {
    // Tab and Shift+Tab still move focus, so the field never traps keyboard users.
    if (event.key === 'Tab' && !event.ctrlKey && !event.metaKey && !event.altKey) return;
    event.preventDefault();
    event.stopPropagation();
    const capture = captureShortcut(event, platform);
    if (capture.kind === 'cancel') {
      setHint(undefined);
      event.currentTarget.blur();
    } else if (capture.kind === 'waiting') {
      setHint(capture.hint);
    } else {
      setHint(undefined);
      setListening(false);
      event.currentTarget.blur();
      if (capture.accelerator !== current.hotkey)
        void save('hotkey', { hotkey: capture.accelerator });
      else setSaved('hotkey');
    }
  };

  const savedNote = (row: Row) =>
    saved === row ? (
      <span role="status" className="saved">
        Saved
      </span>
    ) : null;

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
          readOnly
          className={listening ? 'capturing' : undefined}
          value={listening ? 'Press the new shortcut…' : displayShortcut(current.hotkey, platform)}
          onFocus={() => {
            setListening(true);
            setSaved(undefined);
          }}
          onBlur={() => {
            setListening(false);
            setHint(undefined);
          }}
          onKeyDown={onShortcutKey}
          aria-describedby="shortcut-help"
          spellCheck={false}
        />
      </label>
      <p id="shortcut-help" className="hint">
        {hint ??
          (listening
            ? 'Hold the modifiers and press a key. Esc cancels.'
            : 'Click the field, then press the keys you want.')}{' '}
        {savedNote('hotkey')}
      </p>
      {host === 'web' ? (
        <p className="hint">
          The shortcut works in the desktop app; in the browser, keep this tab open.
        </p>
      ) : null}
      {desktop && info?.hotkeyRegistered === false ? (
        <p role="alert" className="error">
          {info.hotkeyProblem ??
            `${displayShortcut(current.hotkey, platform)} is taken by another app. Pick another shortcut; the tray icon still opens Workstation.`}
        </p>
      ) : null}
      <label className="check">
        <input
          type="checkbox"
          checked={info?.openAtLoginPolicy ?? current.openAtLogin}
          disabled={!desktop || info?.openAtLoginPolicy !== undefined}
          onChange={(event) => void save('openAtLogin', { openAtLogin: event.target.checked })}
        />
        Open at login {savedNote('openAtLogin')}
      </label>
      {info?.openAtLoginPolicy === undefined ? null : (
        <p className="hint">Set by your organisation.</p>
      )}
      {host === 'web' ? (
        <p className="hint">Only the desktop app can open when you sign in to your computer.</p>
      ) : null}
      <label className="check">
        <input
          type="checkbox"
          checked={current.meetingReminders}
          disabled={host === 'web'}
          onChange={(event) =>
            void save('meetingReminders', { meetingReminders: event.target.checked })
          }
        />
        Remind me a minute before meetings with a Join link {savedNote('meetingReminders')}
      </label>
      {host === 'web' ? (
        <p className="hint">Reminders are notifications of the desktop app.</p>
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
