import { useEffect } from 'react';
import type { IntegrationSummary } from '../../../src-shared/domain/integrations';
import { useSlice, useStores } from '../app/stores-context';
import { IntegrationIcon } from '../integrations/integration-icons';
import { ConnectForm } from './connect-form';
import { ConnectionRow } from './connection-row';
import { SessionBanner } from './session-banner';

/** One integration: what it is, whether the user may use it, its connections, and the form that adds one. */
function IntegrationCard({ integration }: { readonly integration: IntegrationSummary }) {
  const available = integration.availability === 'available';
  return (
    <li className="integration-card" aria-label={integration.name}>
      <div className="integration-card-header">
        <IntegrationIcon id={integration.id} />
        <h2>{integration.name}</h2>
      </div>
      <p>{integration.description}</p>
      {integration.detail ? (
        <p className={available ? 'hint' : 'integration-detail'}>{integration.detail}</p>
      ) : null}
      {integration.connections.length > 0 ? (
        <ul className="connection-rows" aria-label={`${integration.name} connections`}>
          {integration.connections.map((connection) => (
            <ConnectionRow
              key={connection.connectionId}
              integration={integration}
              connection={connection}
            />
          ))}
        </ul>
      ) : null}
      {available && integration.connect ? (
        <ConnectForm integration={integration} fields={integration.connect.fields} />
      ) : null}
    </li>
  );
}

/** Settings > Integrations: the Workstation sign-in, then one card per integration main lists. */
export function IntegrationsTab() {
  const { integrations, session } = useStores();
  const list = useSlice(integrations, (state) => state.integrations);
  const loading = useSlice(integrations, (state) => state.loading);
  const error = useSlice(integrations, (state) => state.error);
  // Signing in or out changes what each card offers: list again.
  const signedIn = useSlice(session, (state) => state.session?.state === 'signed_in');

  useEffect(() => {
    void integrations.getState().load();
  }, [integrations, signedIn]);

  return (
    <>
      <SessionBanner />
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {loading && list.length === 0 ? <p role="status">Loading integrations…</p> : null}
      <ul className="integration-cards" aria-label="Integrations">
        {list.map((integration) => (
          <IntegrationCard key={integration.id} integration={integration} />
        ))}
      </ul>
    </>
  );
}
