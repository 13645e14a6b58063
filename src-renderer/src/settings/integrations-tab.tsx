import { useEffect } from 'react';
import type { IntegrationState } from '../../../src-shared/domain/integrations';
import { assertNever } from '../../../src-shared/errors';
import { useSlice, useStores } from '../app/stores-context';

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

/** One card per integration with its connection state. */
export function IntegrationsTab() {
  const { integrations } = useStores();
  const list = useSlice(integrations, (state) => state.integrations);
  const loading = useSlice(integrations, (state) => state.loading);
  const error = useSlice(integrations, (state) => state.error);

  useEffect(() => {
    void integrations.getState().load();
  }, [integrations]);

  if (error) return <p role="alert" className="error">{error}</p>;
  if (loading && list.length === 0) return <p role="status">Loading integrations…</p>;
  return (
    <ul className="integration-cards" aria-label="Integrations">
      {list.map((integration) => (
        <li key={integration.id} className="integration-card" aria-label={integration.name}>
          <h2>{integration.name}</h2>
          <p>{integration.description}</p>
          <p className={`integration-state state-${integration.state}`}>{describeState(integration.state, integration.account)}</p>
          {integration.detail ? <p className="integration-detail">{integration.detail}</p> : null}
        </li>
      ))}
    </ul>
  );
}
