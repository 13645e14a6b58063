import { describe, expect, it } from 'vitest';
import type {
  ConnectionSummary,
  IntegrationList,
  IntegrationSummary,
} from '../../../src-shared/domain/integrations';
import { workstationError } from '../../../src-shared/errors';
import { createWorkstationClient } from '../bridge/workstation-client';
import { fakeBridge } from '../test-support/fake-bridge';
import { createIntegrationsStore } from './integrations-store';

const connection = (
  connectionId: string,
  label: string,
  state: ConnectionSummary['state'] = 'connected',
): ConnectionSummary => ({
  connectionId,
  label,
  state,
  ...(state === 'connected' ? { account: 'alex@contoso.example' } : {}),
});

const crm = (connections: ConnectionSummary[]): IntegrationSummary => ({
  id: 'dynamics',
  name: 'Dynamics 365',
  description: 'CRM',
  capabilities: ['search', 'tasks'],
  availability: 'available',
  connect: { fields: [{ name: 'org', label: 'Dynamics 365 org', kind: 'text' }] },
  connections,
});

describe('integrations store', () => {
  it('connects a new connection with the form fields and shows the list main answers', async () => {
    const after: IntegrationList = {
      integrations: [crm([connection('contoso-crm4', 'contoso', 'connecting')])],
    };
    const { bridge, calls } = fakeBridge({ 'integrations:connect': () => after });
    const store = createIntegrationsStore(createWorkstationClient(bridge));

    await expect(store.getState().connect('dynamics', { org: 'contoso.crm4' })).resolves.toBe(true);

    expect(calls).toEqual([
      {
        channel: 'integrations:connect',
        input: { id: 'dynamics', fields: { org: 'contoso.crm4' } },
      },
    ]);
    expect(store.getState().integrations).toEqual(after.integrations);
    expect(store.getState()).toMatchObject({ error: undefined, connectErrors: {} });
  });

  it("shows main's invalid_input under that integration's form, and clears it on the next try", async () => {
    let answer: IntegrationList | ReturnType<typeof workstationError> = workstationError(
      'invalid_input',
      'Enter only the part before ".dynamics.com".',
      {
        issues: [{ path: 'fields.org', message: 'not a subdomain' }],
      },
    );
    const { bridge } = fakeBridge({ 'integrations:connect': () => answer });
    const store = createIntegrationsStore(createWorkstationClient(bridge));

    await expect(
      store.getState().connect('dynamics', { org: 'https://contoso.crm4.dynamics.com' }),
    ).resolves.toBe(false);
    expect(store.getState().connectErrors).toEqual({
      dynamics: 'Enter only the part before ".dynamics.com".',
    });
    expect(store.getState().error).toBeUndefined();

    answer = { integrations: [crm([connection('contoso-crm4', 'contoso', 'connecting')])] };
    await expect(store.getState().connect('dynamics', { org: 'contoso.crm4' })).resolves.toBe(true);
    expect(store.getState().connectErrors).toEqual({});
  });

  it('keeps errors that are not about the form for the whole tab', async () => {
    const { bridge } = fakeBridge({
      'integrations:connect': () =>
        workstationError('needs_sign_in', 'Sign in to Workstation first.'),
    });
    const store = createIntegrationsStore(createWorkstationClient(bridge));

    await expect(store.getState().connect('dynamics', { org: 'contoso.crm4' })).resolves.toBe(
      false,
    );

    expect(store.getState().error).toBe('Sign in to Workstation first.');
    expect(store.getState().connectErrors).toEqual({});
  });

  it('forgets a form error when the user edits the form', async () => {
    const { bridge } = fakeBridge({
      'integrations:connect': () =>
        workstationError('invalid_input', 'Choose Production, Sandbox or My Domain.'),
    });
    const store = createIntegrationsStore(createWorkstationClient(bridge));
    await store.getState().connect('dynamics', {});
    expect(store.getState().connectErrors).toEqual({
      dynamics: 'Choose Production, Sandbox or My Domain.',
    });

    store.getState().clearConnectError('dynamics');

    expect(store.getState().connectErrors).toEqual({});
  });

  it('reconnects one connection by its id, without form fields', async () => {
    const { bridge, calls } = fakeBridge({
      'integrations:connect': () => ({
        integrations: [crm([connection('contoso-crm4', 'contoso', 'connecting')])],
      }),
    });
    const store = createIntegrationsStore(createWorkstationClient(bridge));

    await expect(store.getState().reconnect('dynamics', 'contoso-crm4')).resolves.toBe(true);

    expect(calls).toEqual([
      { channel: 'integrations:connect', input: { id: 'dynamics', connectionId: 'contoso-crm4' } },
    ]);
    expect(store.getState().integrations[0]?.connections[0]?.state).toBe('connecting');
  });

  it('shows a refused reconnect as an error for the tab', async () => {
    const { bridge } = fakeBridge({
      'integrations:connect': () =>
        workstationError('not_found', 'That connection no longer exists.'),
    });
    const store = createIntegrationsStore(createWorkstationClient(bridge));

    await expect(store.getState().reconnect('dynamics', 'contoso-crm4')).resolves.toBe(false);

    expect(store.getState().error).toBe('That connection no longer exists.');
  });

  it('disconnects one connection and keeps the others', async () => {
    // The fake main holds two orgs and removes the one it is asked to.
    let connections = [
      connection('contoso-crm4', 'contoso'),
      connection('fabrikam-crm', 'fabrikam'),
    ];
    const { bridge, calls } = fakeBridge({
      'integrations:list': () => ({ integrations: [crm(connections)] }),
      'integrations:disconnect': ({ connectionId }) => {
        connections = connections.filter((item) => item.connectionId !== connectionId);
        return { integrations: [crm(connections)] };
      },
    });
    const store = createIntegrationsStore(createWorkstationClient(bridge));
    await store.getState().load();

    await store.getState().disconnect('dynamics', 'fabrikam-crm');

    expect(calls.at(-1)).toEqual({
      channel: 'integrations:disconnect',
      input: { id: 'dynamics', connectionId: 'fabrikam-crm' },
    });
    expect(store.getState().integrations[0]?.connections.map((item) => item.label)).toEqual([
      'contoso',
    ]);
  });

  it('cancels a pending connect: the row leaves Connecting at once', async () => {
    const { bridge, calls } = fakeBridge({
      'integrations:list': () => ({
        integrations: [crm([connection('contoso-crm4', 'contoso', 'connecting')])],
      }),
      'integrations:cancelConnect': () => ({
        integrations: [crm([connection('contoso-crm4', 'contoso', 'not_connected')])],
      }),
    });
    const store = createIntegrationsStore(createWorkstationClient(bridge));
    await store.getState().load();

    await store.getState().cancelConnect('dynamics', 'contoso-crm4');

    expect(calls.at(-1)).toEqual({
      channel: 'integrations:cancelConnect',
      input: { id: 'dynamics', connectionId: 'contoso-crm4' },
    });
    expect(store.getState().integrations[0]?.connections[0]?.state).toBe('not_connected');
  });

  it('shows a failed disconnect as an error and keeps the list', async () => {
    const { bridge } = fakeBridge({
      'integrations:list': () => ({ integrations: [crm([connection('contoso-crm4', 'contoso')])] }),
      'integrations:disconnect': () =>
        workstationError('store_unreachable', 'The token store cannot be reached.'),
    });
    const store = createIntegrationsStore(createWorkstationClient(bridge));
    await store.getState().load();

    await store.getState().disconnect('dynamics', 'contoso-crm4');

    expect(store.getState().error).toBe('The token store cannot be reached.');
    expect(store.getState().integrations[0]?.connections).toHaveLength(1);
  });

  it("follows main's integrations:didChange until disposed", () => {
    const { bridge, emit } = fakeBridge({});
    const store = createIntegrationsStore(createWorkstationClient(bridge));
    const connected = { integrations: [crm([connection('contoso-crm4', 'contoso')])] };

    emit('integrations:didChange', connected);
    expect(store.getState().integrations).toEqual(connected.integrations);

    store.getState().dispose();
    emit('integrations:didChange', { integrations: [] });
    expect(store.getState().integrations).toEqual(connected.integrations);
  });
});
