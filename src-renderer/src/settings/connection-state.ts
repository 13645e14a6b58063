import type { IntegrationState } from '../../../src-shared/domain/integrations';
import { assertNever } from '../../../src-shared/errors';

/** The words a connection's row uses for each state. */
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

/** Which of a row's buttons make sense in a state. */
export interface ConnectionActions {
  /** Sign in again for this connection (it keeps its id, label and target). */
  readonly reconnect: boolean;
  /** Remove it: its cache, its stored sign-in. */
  readonly disconnect: boolean;
  /** Stop waiting for a consent the user abandoned. */
  readonly cancel?: boolean;
}

/** What a pending Connect's row says: finish in the browser, and when Workstation stops waiting. */
export function pendingDetail(pendingUntil: number | undefined): string | undefined {
  if (pendingUntil === undefined) return undefined;
  const at = new Date(pendingUntil).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
  return `Finish signing in in your browser. Workstation stops waiting at ${at}; choose Cancel if you closed that tab.`;
}

export function connectionActions(state: IntegrationState): ConnectionActions {
  switch (state) {
    // needs_admin_consent too: once the admin approved the app, trying again is how the user finds out.
    case 'not_connected':
    case 'needs_reconnect':
    case 'needs_admin_consent':
      return { reconnect: true, disconnect: true };
    case 'connected':
      return { reconnect: false, disconnect: true };
    case 'connecting':
      return { reconnect: false, disconnect: false, cancel: true };
    case 'unavailable':
      return { reconnect: false, disconnect: false };
    default:
      return assertNever(state, 'integration state');
  }
}

/** How a row is named for assistive technology: "Salesforce · sandbox", or "Outlook calendar connection" for the only one (never the card's own name). */
export function connectionName(integrationName: string, label: string): string {
  return label ? `${integrationName} · ${label}` : `${integrationName} connection`;
}
