import { useEffect } from 'react';
import { KEYCHAIN_FIX_URL } from '../../../src-shared/help-links';
import { openLink } from '../widgets/open-link';
import { useSlice, useStores } from './stores-context';

/** On the home view: the keychain is missing, so sign-ins end when Workstation quits; how to fix it. */
export function KeychainBanner() {
  const { session, client } = useStores();
  const summary = useSlice(session, (state) => state.session);

  useEffect(() => {
    if (!session.getState().session) void session.getState().load();
  }, [session]);

  if (summary?.keychain !== 'unavailable') return null;
  return (
    <aside className="keychain-banner" role="status" aria-label="Keychain">
      <p>
        Your system keychain is not available, so Workstation cannot keep you signed in across
        restarts: it works until you quit.{' '}
        <a
          href={KEYCHAIN_FIX_URL}
          onClick={(event) => {
            // Main opens it in the user's browser (Electron windows open nothing themselves).
            event.preventDefault();
            void openLink(client, KEYCHAIN_FIX_URL).catch(() => undefined);
          }}
        >
          How to fix it
        </a>
      </p>
    </aside>
  );
}
