import { useEffect, useState } from 'react';
import { dynamicsOrgSubdomainSchema } from '../../../src-shared/domain/dynamics-org';
import type { IntegrationState, IntegrationSummary } from '../../../src-shared/domain/integrations';
import { assertNever } from '../../../src-shared/errors';
import { useSlice, useStores } from '../app/stores-context';
import { SessionBanner } from './session-banner';

/** The words a card uses for each state. */
export function describeState(state: IntegrationState, account: string | undefined): string {
  switch (state) {
    case 'not_connected':
      return 'Not connected';
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return account ? `Connected as ${account}` : 'Connected';
    case 'needs_reconnect':
      return 'Needs reconnect';
    case 'needs_admin_consent':
      return 'Needs admin consent';
    case 'unavailable':
      return 'Not available for you';
    default:
      return assertNever(state, 'integration state');
  }
}

/** One integration: its state, and the action that moves it forward. */
function IntegrationCard({ integration, signedIn }: { readonly integration: IntegrationSummary; readonly signedIn: boolean }) {
  const { integrations, browser } = useStores();
  const [org, setOrg] = useState('');
  const orgCheck = org === '' ? undefined : dynamicsOrgSubdomainSchema.safeParse(org);
  const canAct = signedIn && integration.state !== 'unavailable' && integration.state !== 'connecting';
  const askOrg = integration.needsOrg === true && integration.state !== 'connected';
  const connect = () => {
    browser.prepare();
    void integrations.getState().connect(integration.id, askOrg ? org : undefined);
  };

  return (
    <li className="integration-card" aria-label={integration.name}>
      <h2>{integration.name}</h2>
      <p>{integration.description}</p>
      <p className={`integration-state state-${integration.state}`}>{describeState(integration.state, integration.account)}</p>
      {integration.detail ? <p className="integration-detail">{integration.detail}</p> : null}
      {integration.orgUrl && integration.state === 'connected' ? <p className="hint">{integration.orgUrl}</p> : null}
      {integration.actionUrl ? (
        <p>
          <a href={integration.actionUrl} target="_blank" rel="noreferrer">
            Admin consent link
          </a>{' '}
          <button type="button" className="text-button" onClick={() => void navigator.clipboard?.writeText(integration.actionUrl ?? '')}>
            Copy for your admin
          </button>
        </p>
      ) : null}
      {canAct && askOrg ? (
        <label className="org-field">
          Dynamics 365 org
          <input value={org} placeholder="org31ec4237.crm4" spellCheck={false} aria-invalid={orgCheck?.success === false} onChange={(event) => setOrg(event.target.value)} />
          {orgCheck?.success === false ? <span className="error">{orgCheck.error.issues[0]?.message}</span> : null}
        </label>
      ) : null}
      <div className="card-actions">
        {canAct && integration.state !== 'connected' ? (
          <button type="button" className="primary-button" disabled={askOrg && orgCheck?.success !== true} onClick={connect}>
            {integration.state === 'needs_reconnect' ? 'Reconnect' : 'Connect'}
          </button>
        ) : null}
        {canAct && (integration.state === 'connected' || integration.state === 'needs_reconnect') ? (
          <button type="button" className="text-button" onClick={() => void integrations.getState().disconnect(integration.id)}>
            Disconnect
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** Settings > Integrations: the Workstation sign-in, then one card per integration. */
export function IntegrationsTab() {
  const { integrations, session } = useStores();
  const list = useSlice(integrations, (state) => state.integrations);
  const loading = useSlice(integrations, (state) => state.loading);
  const error = useSlice(integrations, (state) => state.error);
  const signedIn = useSlice(session, (state) => state.session?.state === 'signed_in');

  useEffect(() => {
    void integrations.getState().load();
  }, [integrations, signedIn]);

  return (
    <>
      <SessionBanner />
      {error ? <p role="alert" className="error">{error}</p> : null}
      {loading && list.length === 0 ? <p role="status">Loading integrations…</p> : null}
      <ul className="integration-cards" aria-label="Integrations">
        {list.map((integration) => (
          <IntegrationCard key={integration.id} integration={integration} signedIn={signedIn} />
        ))}
      </ul>
    </>
  );
}
