import type {
  ConnectionSummary,
  IntegrationSummary,
} from '../../../src-shared/domain/integrations';
import { useStores } from '../app/stores-context';
import {
  connectionActions,
  connectionName,
  describeState,
  pendingDetail,
} from './connection-state';

/** One connection of an integration: its state in words, what fixes it, Reconnect and Disconnect. */
export function ConnectionRow({
  integration,
  connection,
}: {
  readonly integration: IntegrationSummary;
  readonly connection: ConnectionSummary;
}) {
  const { integrations, browser } = useStores();
  // An unavailable card (not enabled, signed out) shows its connections but offers nothing to do.
  const actions =
    integration.availability === 'available'
      ? connectionActions(connection.state)
      : { reconnect: false, disconnect: false };
  const reconnect = async () => {
    browser.prepare();
    if (!(await integrations.getState().reconnect(integration.id, connection.connectionId)))
      browser.cancel();
  };

  return (
    <li className="connection-row" aria-label={connectionName(integration.name, connection.label)}>
      <p className="connection-summary">
        {connection.label ? <span className="connection-label">{connection.label}</span> : null}
        <span className={`integration-state state-${connection.state}`}>
          {describeState(connection.state, connection.account)}
        </span>
      </p>
      {connection.detail ? <p className="integration-detail">{connection.detail}</p> : null}
      {connection.state === 'connecting' && connection.pendingUntil !== undefined ? (
        <p className="integration-detail">{pendingDetail(connection.pendingUntil)}</p>
      ) : null}
      {connection.origin && connection.state === 'connected' ? (
        <p className="hint">{connection.origin}</p>
      ) : null}
      {connection.actionUrl ? (
        <p>
          <a href={connection.actionUrl} target="_blank" rel="noreferrer">
            Admin consent link
          </a>{' '}
          <button
            type="button"
            className="text-button"
            onClick={() => void navigator.clipboard?.writeText(connection.actionUrl ?? '')}
          >
            Copy for your admin
          </button>
        </p>
      ) : null}
      {actions.reconnect || actions.disconnect || actions.cancel ? (
        <div className="card-actions">
          {actions.cancel ? (
            <button
              type="button"
              className="text-button"
              onClick={() =>
                void integrations.getState().cancelConnect(integration.id, connection.connectionId)
              }
            >
              Cancel
            </button>
          ) : null}
          {actions.reconnect ? (
            <button type="button" className="primary-button" onClick={() => void reconnect()}>
              Reconnect
            </button>
          ) : null}
          {actions.disconnect ? (
            <button
              type="button"
              className="text-button"
              onClick={() =>
                void integrations.getState().disconnect(integration.id, connection.connectionId)
              }
            >
              Disconnect
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
