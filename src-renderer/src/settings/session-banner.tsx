import { useEffect } from 'react';
import { useSlice, useStores } from '../app/stores-context';

/** Who is signed in to Workstation, with Sign in / Sign out, and any notice (keychain, store). */
export function SessionBanner() {
  const { session, browser } = useStores();
  const summary = useSlice(session, (state) => state.session);
  const error = useSlice(session, (state) => state.error);

  useEffect(() => {
    void session.getState().load();
  }, [session]);

  if (!summary) return null;
  return (
    <section className="session-banner" aria-label="Workstation account">
      {summary.state === 'signed_in' ? (
        <>
          <p>
            Signed in as <strong>{summary.account?.username}</strong>
            {summary.mode === 'demo' ? ' (demo tenant)' : ''}
          </p>
          <button
            type="button"
            className="text-button"
            onClick={() => void session.getState().signOut()}
          >
            Sign out
          </button>
        </>
      ) : summary.state === 'signing_in' ? (
        <p role="status">Signing in… finish in the browser window that opened.</p>
      ) : (
        <>
          <p>Sign in with your work account to connect your integrations.</p>
          <button
            type="button"
            className="primary-button"
            onClick={() => {
              browser.prepare();
              void session.getState().signIn();
            }}
          >
            Sign in
          </button>
        </>
      )}
      {summary.notice ? <p className="hint">{summary.notice}</p> : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
