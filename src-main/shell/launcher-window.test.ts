import { describe, expect, it } from 'vitest';
import { LauncherWindow } from './launcher-window';
import { createFakeElectron, FakeBrowserWindow } from './test/fake-electron';
import { RENDERER_CSP } from '../web-host/content-security-policy';

const paths = {
  preload: '/app/dist/preload/preload.cjs',
  indexHtml: '/app/dist/renderer/index.html',
};

function setup() {
  const fake = createFakeElectron();
  const launcher = new LauncherWindow(fake.electron, paths);
  const window = FakeBrowserWindow.instances[0]!;
  return { launcher, window };
}

describe('LauncherWindow', () => {
  it('is created hidden, frameless and locked down, and loads the built renderer', () => {
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
    expect(window.loads).toEqual([{ path: paths.indexHtml, options: undefined }]);
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
    expect(window.loads.at(-1)).toEqual({ path: paths.indexHtml, options: { hash: 'settings' } });
    expect(window.visible).toBe(true);
  });

  it('denies new windows, foreign navigation, redirects and webviews', () => {
    const { window } = setup();
    const contents = window.webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({
      action: 'deny',
    });
    expect(contents.fire('will-navigate', 'https://attacker.example/')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///app/dist/renderer/index.html#settings')).toBe(
      false,
    );
    expect(contents.fire('will-redirect', 'https://attacker.example/')).toBe(true);
    expect(contents.fire('will-attach-webview')).toBe(true);
  });

  it('denies permissions and sets the strict CSP on responses', () => {
    const { window } = setup();
    const session = window.webContents.session;
    let granted: boolean | undefined;
    session.permissionRequestHandler?.(
      window.webContents,
      'media',
      (answer: boolean) => (granted = answer),
    );
    expect(granted).toBe(false);
    expect(session.permissionCheckHandler?.()).toBe(false);
    let headers: unknown;
    session.headersHook?.(
      { responseHeaders: { 'content-type': ['text/html'] } },
      (response: { responseHeaders: unknown }) => (headers = response.responseHeaders),
    );
    expect(headers).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [RENDERER_CSP],
    });
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toContain('unsafe');
  });
});
