import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; Playwright's own browser download is blocked on these machines. */
export const CHROMIUM_PATH = process.env.WORKSTATION_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium with the flags that keep it off the (closed) network. `trustSpki`
 * lists public-key hashes Chromium must accept (the local CA's server key): explicit trust of one
 * key, not a switch that turns certificate checks off.
 */
export async function launchChromium(trustSpki: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's "chromium" package (or set WORKSTATION_CHROMIUM).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...(trustSpki.length ? [`--ignore-certificate-errors-spki-list=${trustSpki.join(',')}`] : []),
    ],
  });
}
