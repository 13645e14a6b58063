import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../web-host/content-security-policy';
import { installWebContentsGuard } from './security';
import type { FakeBrowserWindow } from './test/fake-electron';
import { createFakeElectron, FakeSession, FakeWebContents } from './test/fake-electron';

function guarded() {
  const fake = createFakeElectron();
  installWebContentsGuard(fake.electron.app);
  return fake;
}

describe('app-wide WebContents guard', () => {
  it('hardens every WebContents Electron creates, not only the launcher', () => {
    const fake = guarded();
    const launcher = new fake.electron.BrowserWindow({});
    const other = new FakeWebContents(); // a devtools or future window's contents
    fake.app.emit('web-contents-created', {}, other);
    for (const contents of [(launcher as unknown as FakeBrowserWindow).webContents, other]) {
      expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({
        action: 'deny',
      });
      expect(contents.fire('will-navigate', 'https://attacker.example/')).toBe(true);
      expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
      expect(contents.fire('will-navigate', 'app://elsewhere/index.html')).toBe(true);
      expect(contents.fire('will-navigate', 'app://workstation/index.html#settings')).toBe(false);
      expect(contents.fire('will-redirect', 'https://attacker.example/')).toBe(true);
      expect(contents.fire('will-attach-webview')).toBe(true);
    }
  });

  it('leaves a WebContents unguarded without the guard (the guard is what does it)', () => {
    const fake = createFakeElectron();
    const window = new fake.electron.BrowserWindow({}) as unknown as FakeBrowserWindow;
    expect(window.webContents.windowOpenHandler).toBeUndefined();
    expect(window.webContents.fire('will-navigate', 'https://attacker.example/')).toBe(false);
  });

  it('denies permissions and sets the strict CSP, once per session', () => {
    const fake = guarded();
    new fake.electron.BrowserWindow({});
    new fake.electron.BrowserWindow({});
    const own = new FakeSession();
    fake.app.emit('web-contents-created', {}, new FakeWebContents(own));
    for (const session of [fake.session, own]) {
      expect(session.policyInstalls).toBe(1);
      let granted: boolean | undefined;
      session.permissionRequestHandler?.({}, 'media', (answer: boolean) => (granted = answer));
      expect(granted).toBe(false);
      expect(session.permissionCheckHandler?.()).toBe(false);
    }
    let headers: unknown;
    fake.session.headersHook?.(
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
