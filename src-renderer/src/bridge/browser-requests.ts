import type { WorkstationClient } from './workstation-client';

/**
 * Sign-in and consent pages for the web host: main cannot open the user's browser, so it asks the
 * page. A tab opened synchronously on the user's click (popup blockers allow only those) is
 * navigated when main's request arrives; without one, a new tab is opened.
 */
export class BrowserRequests {
  #pending: Window | null = null;

  constructor(
    client: WorkstationClient,
    private readonly win: Window = window,
  ) {
    client.on('auth:didRequestBrowser', ({ url }) => {
      const tab = this.#pending;
      this.#pending = null;
      if (tab && !tab.closed) tab.location.href = url;
      else this.win.open(url, '_blank');
    });
  }

  /** Call inside a click handler that will lead main to ask for a page (web host only). */
  prepare(): void {
    if (this.win.workstation) return; // Electron opens the system browser itself.
    this.#pending = this.win.open('about:blank', '_blank');
  }

  /** The click led nowhere (main refused it, e.g. a Connect form it could not accept): close the blank tab. */
  cancel(): void {
    const tab = this.#pending;
    this.#pending = null;
    if (tab && !tab.closed) tab.close();
  }
}
