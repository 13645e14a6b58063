import { describe, expect, it } from 'vitest';
import { LauncherWindow } from './launcher-window';
import { createFakeElectron, FakeBrowserWindow } from './test/fake-electron';

const paths = { preload: '/app/dist/preload/preload.cjs' };

function setup(platform: NodeJS.Platform = 'linux') {
  const fake = createFakeElectron();
  const clock = { now: 1_000 };
  const launcher = new LauncherWindow(fake.electron, paths, { platform, now: () => clock.now });
  const window = FakeBrowserWindow.instances[0]!;
  return { launcher, window, clock };
}

describe('LauncherWindow', () => {
  it('is created hidden, frameless and locked down, and loads the renderer from app://', () => {
    const { window } = setup();
    expect(window.options).toMatchObject({
      show: false,
      frame: false,
      skipTaskbar: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        preload: paths.preload,
        webviewTag: false,
      },
    });
    expect(window.visible).toBe(false);
    expect(window.loads).toEqual(['app://workstation/index.html']);
  });

  it('toggles: hidden -> shown and focused on the cursor display; in front -> hidden', () => {
    const { launcher, window } = setup();
    launcher.toggle();
    expect([window.visible, window.focused, window.webContents.focused]).toEqual([
      true,
      true,
      true,
    ]);
    expect(window.position[0]).toBeGreaterThanOrEqual(1920); // the display under the cursor
    launcher.toggle();
    expect(window.visible).toBe(false);
  });

  it('comes to the front when visible but behind another window, and hides on blur', () => {
    const { launcher, window } = setup();
    launcher.show();
    window.focused = false; // another window took focus without hiding us
    launcher.toggle();
    expect([window.visible, window.focused]).toEqual([true, true]);
    window.blur();
    expect(window.visible).toBe(false);
  });

  it('opens Settings through the #settings fragment', () => {
    const { launcher, window } = setup();
    launcher.showSettings();
    expect(window.loads.at(-1)).toBe('app://workstation/index.html#settings');
    expect(window.visible).toBe(true);
  });

  it('Windows: a tray click on the open launcher hides it, though the click blurred it first', () => {
    const { launcher, window, clock } = setup('win32');
    launcher.toggleFromTray();
    expect(window.visible).toBe(true);
    // Windows order: focus leaves for the tray (blur hides), then the click arrives.
    window.blur();
    clock.now += 120;
    launcher.toggleFromTray();
    expect(window.visible).toBe(false);
    // A later click, long after the blur, opens it again.
    clock.now += 5_000;
    launcher.toggleFromTray();
    expect(window.visible).toBe(true);
  });

  it('a tray click long after the launcher was blurred away opens it; on an open one, hides it', () => {
    const { launcher, window, clock } = setup('linux');
    launcher.show();
    window.blur();
    clock.now += 2_000;
    launcher.toggleFromTray();
    expect(window.visible).toBe(true);
    launcher.toggleFromTray();
    expect(window.visible).toBe(false);
  });

  it('macOS: shows over full-screen apps on every workspace; elsewhere leaves workspaces alone', () => {
    expect(setup('darwin').window.visibleOnAllWorkspaces).toEqual({
      visible: true,
      options: { visibleOnFullScreen: true, skipTransformProcessType: true },
    });
    expect(setup('win32').window.visibleOnAllWorkspaces).toBeUndefined();
  });
});
