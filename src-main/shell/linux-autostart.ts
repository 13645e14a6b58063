import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where the Linux launch-at-login entry lives, and which program it starts. */
export interface LinuxAutostartTarget {
  readonly env: NodeJS.ProcessEnv;
  /** `process.execPath`: the installed binary of a deb. */
  readonly execPath: string;
  readonly home?: string;
}

/**
 * The entry's file: `$XDG_CONFIG_HOME/autostart/workstation.desktop` (default `~/.config`).
 * https://specifications.freedesktop.org/autostart-spec/latest/
 */
export function autostartFile(target: LinuxAutostartTarget): string {
  const config = target.env.XDG_CONFIG_HOME || join(target.home ?? homedir(), '.config');
  return join(config, 'autostart', 'workstation.desktop');
}

/**
 * An AppImage runs from a temporary mount, so the entry must start the AppImage file itself
 * (`$APPIMAGE`); a deb install starts its binary.
 * https://docs.appimage.org/packaging-guide/environment-variables.html
 */
export function autostartProgram(target: LinuxAutostartTarget): string {
  return target.env.APPIMAGE || target.execPath;
}

/**
 * Quotes one Exec argument: inside double quotes, `"`, `` ` ``, `$` and `\` are escaped with a
 * backslash, and a literal `%` is doubled.
 * https://specifications.freedesktop.org/desktop-entry-spec/latest/exec-variables.html
 */
function execArgument(value: string): string {
  return `"${value.replace(/["`$\\]/g, (char) => `\\${char}`).replace(/%/g, '%%')}"`;
}

/** The desktop entry that starts Workstation at login. */
export function autostartEntry(program: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Workstation',
    'Comment=Search your CRM from anywhere',
    `Exec=${execArgument(program)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Electron has no login item on Linux (`app.setLoginItemSettings` is macOS and Windows), so the
 * desktop's autostart folder gets an entry, or loses it. Writes only on a difference.
 */
export async function applyLinuxAutostart(
  openAtLogin: boolean,
  target: LinuxAutostartTarget,
): Promise<void> {
  const file = autostartFile(target);
  if (!openAtLogin) {
    await rm(file, { force: true });
    return;
  }
  const entry = autostartEntry(autostartProgram(target));
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === entry) return;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, entry, { mode: 0o644 });
}
