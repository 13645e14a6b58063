import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLinuxAutostart, autostartEntry, autostartFile } from './linux-autostart';

describe('Linux autostart entry', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-autostart-'));
    dirs.push(dir);
    return dir;
  };

  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartFile({ env: { XDG_CONFIG_HOME: '/x/config' }, execPath: '/e' })).toBe(
      '/x/config/autostart/workstation.desktop',
    );
    expect(autostartFile({ env: {}, execPath: '/e', home: '/home/alex' })).toBe(
      '/home/alex/.config/autostart/workstation.desktop',
    );
  });

  it('writes an entry that starts the installed binary, and removes it when turned off', async () => {
    const config = scratch();
    const target = { env: { XDG_CONFIG_HOME: config }, execPath: '/opt/Workstation/workstation' };
    const file = join(config, 'autostart', 'workstation.desktop');
    await applyLinuxAutostart(true, target);
    const entry = readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Workstation\n');
    expect(entry).toContain('Exec="/opt/Workstation/workstation"\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    await applyLinuxAutostart(true, target); // idempotent
    await applyLinuxAutostart(false, target);
    expect(existsSync(file)).toBe(false);
    await applyLinuxAutostart(false, target); // nothing to remove is fine
  });

  it('starts the AppImage file, not its temporary mount', async () => {
    const config = scratch();
    await applyLinuxAutostart(true, {
      env: { XDG_CONFIG_HOME: config, APPIMAGE: '/home/alex/Apps/Workstation-0.1.0.AppImage' },
      execPath: '/tmp/.mount_WorkstXYZ/workstation',
    });
    expect(readFileSync(join(config, 'autostart', 'workstation.desktop'), 'utf8')).toContain(
      'Exec="/home/alex/Apps/Workstation-0.1.0.AppImage"\n',
    );
  });

  it('quotes the program path as the desktop entry spec says', () => {
    expect(autostartEntry('/home/a b/$HOME/"x"/100%/`y`\\z')).toContain(
      'Exec="/home/a b/\\$HOME/\\"x\\"/100%%/\\`y\\`\\\\z"\n',
    );
  });
});
