import { describe, expect, it } from 'vitest';
import { fakeBridge } from '../test-support/fake-bridge';
import { BrowserRequests } from './browser-requests';
import { createWorkstationClient } from './workstation-client';

/** A browser window without the Electron preload (the web host): it records the tabs it opens. */
function fakeWindow() {
  const tabs: { url: string; closed: boolean; location: { href: string }; close(): void }[] = [];
  const win = {
    workstation: undefined,
    open(url: string) {
      const tab = {
        url,
        closed: false,
        location: { href: url },
        close: () => void (tab.closed = true),
      };
      tabs.push(tab);
      return tab;
    },
  };
  return { win: win as unknown as Window, tabs };
}

describe('browser requests (web host)', () => {
  it("navigates the tab opened on the click to main's sign-in page", () => {
    const { bridge, emit } = fakeBridge({});
    const { win, tabs } = fakeWindow();
    const requests = new BrowserRequests(createWorkstationClient(bridge), win);

    requests.prepare();
    emit('auth:didRequestBrowser', { url: 'https://login.example/authorize', purpose: 'connect' });

    expect(tabs.map((tab) => tab.location.href)).toEqual(['https://login.example/authorize']);
  });

  it('closes the blank tab when main refused the click, and opens a fresh one for a later request', () => {
    const { bridge, emit } = fakeBridge({});
    const { win, tabs } = fakeWindow();
    const requests = new BrowserRequests(createWorkstationClient(bridge), win);

    requests.prepare();
    requests.cancel();
    emit('auth:didRequestBrowser', { url: 'https://login.example/authorize', purpose: 'connect' });

    expect(tabs.map((tab) => [tab.location.href, tab.closed])).toEqual([
      ['about:blank', true],
      ['https://login.example/authorize', false],
    ]);
  });
});
