import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

interface Received {
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

type KeyValue = { key: string; value: unknown };

// The webhook a Dataverse service endpoint sends on systemuser changes, as Learn documents the
// request (https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks) and its
// authentication options (https://learn.microsoft.com/power-apps/developer/data-platform/register-web-hook).
describe('Dataverse stand-in: webhooks on systemuser changes', () => {
  let sandbox: Sandbox;
  let receiver: Server;
  let receiverUrl = '';
  const received: Received[] = [];
  /** What the receiver answers next (status codes, in order; then 200). */
  const answers: number[] = [];
  let hang = false;

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    // The receiver is served with the sandbox's own localhost certificate: real HTTPS.
    receiver = createServer(
      { cert: sandbox.tls.serverCert, key: sandbox.tls.serverKey },
      (req, res) => {
        let text = '';
        req.on('data', (chunk: Buffer) => (text += chunk.toString()));
        req.on('end', () => {
          received.push({
            url: new URL(req.url ?? '/', 'https://localhost'),
            headers: req.headers,
            body: JSON.parse(text) as Record<string, unknown>,
          });
          if (hang) return;
          res.writeHead(answers.shift() ?? 200).end();
        });
      },
    );
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    receiverUrl = `https://localhost:${(receiver.address() as AddressInfo).port}/api/directory-hook`;
  });
  afterEach(() => {
    for (const endpoint of sandbox.directory.webhooks('contoso').list())
      sandbox.directory.webhooks('contoso').unregister(endpoint.serviceendpointid);
    received.length = 0;
    answers.length = 0;
    hang = false;
  });
  afterAll(async () => {
    receiver?.closeAllConnections();
    receiver?.close();
    await sandbox?.stop();
  });

  const contoso = () => sandbox.directory.org('contoso');
  const hooks = () => sandbox.directory.webhooks('contoso');
  const attributes = (context: Record<string, unknown>) => {
    const target = (context.InputParameters as KeyValue[]).find((item) => item.key === 'Target');
    return new Map(
      ((target?.value as { Attributes: KeyValue[] }).Attributes ?? []).map((item) => [
        item.key,
        item.value,
      ]),
    );
  };

  it('POSTs the RemoteExecutionContext of an Update with ?code=<WebhookKey> and the x-ms-dynamics headers', async () => {
    hooks().register({ url: receiverUrl, auth: { authtype: 'WebhookKey', key: 'hook-key-1' } });
    const megan = contoso().rows('systemuser')[1];
    contoso().updatePerson(String(megan?.systemuserid), { isdisabled: true });
    await hooks().idle();

    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call?.url.pathname).toBe('/api/directory-hook');
    expect(call?.url.searchParams.get('code')).toBe('hook-key-1');
    expect(call?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-ms-dynamics-organization': new URL(sandbox.dataverse.orgUrl).host,
      'x-ms-dynamics-entity-name': 'systemuser',
      'x-ms-dynamics-request-name': 'Update',
      'x-ms-correlation-request-id': call?.body.CorrelationId,
    });
    expect(call?.headers['x-ms-dynamics-msg-size-exceeded']).toBeUndefined();
    expect(call?.body).toMatchObject({
      MessageName: 'Update',
      PrimaryEntityName: 'systemuser',
      PrimaryEntityId: megan?.systemuserid,
      SecondaryEntityName: 'none',
      Mode: 1,
      Stage: 40,
      Depth: 1,
      OwningExtension: { LogicalName: 'sdkmessageprocessingstep' },
    });
    expect(String(call?.body.OperationCreatedOn)).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    // An Update's Target holds the changed columns and the id, as key/value pairs.
    const target = attributes(call?.body ?? {});
    expect(target.get('isdisabled')).toBe(true);
    expect(target.get('systemuserid')).toBe(megan?.systemuserid);
    expect(String(target.get('modifiedon'))).toMatch(/^\/Date\(\d+\)\/$/);
    expect(target.has('fullname')).toBe(false);
    expect(hooks().deliveries().at(-1)).toMatchObject({
      succeeded: true,
      status: 200,
      attempts: 1,
    });
  });

  it('sends Create with every column (lookups as EntityReference) and Delete with an EntityReference Target', async () => {
    hooks().register({
      url: receiverUrl,
      auth: { authtype: 'HttpHeader', headers: { 'x-directory-secret': 's3cret' } },
    });
    const added = contoso().addPerson({ fullname: 'Hook Tester', title: 'QA' });
    contoso().delete('systemuser', String(added.systemuserid));
    await hooks().idle();

    const [create, remove] = received;
    expect(create?.headers['x-directory-secret']).toBe('s3cret');
    expect(create?.body.MessageName).toBe('Create');
    const columns = attributes(create?.body ?? {});
    expect(columns.get('fullname')).toBe('Hook Tester');
    expect(columns.get('businessunitid')).toMatchObject({
      LogicalName: 'businessunit',
      Id: added._businessunitid_value,
    });
    expect(remove?.headers['x-ms-dynamics-request-name']).toBe('Delete');
    const target = (remove?.body.InputParameters as KeyValue[])[0]?.value;
    expect(target).toMatchObject({ LogicalName: 'systemuser', Id: added.systemuserid });
    expect(String((target as { __type: string }).__type)).toMatch(/^EntityReference:/);
  });

  it('sends HttpQueryString pairs, and honours the step’s filtering attributes', async () => {
    hooks().register({
      url: receiverUrl,
      auth: { authtype: 'HttpQueryString', query: { tenant: 'contoso', sig: 'abc' } },
      messages: ['Update'],
      filteringAttributes: ['isdisabled'],
    });
    const diego = contoso().rows('systemuser')[4];
    contoso().updatePerson(String(diego?.systemuserid), { title: 'Not watched' });
    contoso().updatePerson(String(diego?.systemuserid), { isdisabled: true });
    await hooks().idle();
    expect(received).toHaveLength(1);
    expect(Object.fromEntries(received[0]?.url.searchParams ?? [])).toEqual({
      tenant: 'contoso',
      sig: 'abc',
    });
  });

  it('tries once more after a 503 but not after a 500, and records failures', async () => {
    hooks().register({ url: receiverUrl, auth: { authtype: 'WebhookKey', key: 'k' } });
    const alex = String(contoso().rows('systemuser')[0]?.systemuserid);
    answers.push(503, 200);
    contoso().updatePerson(alex, { title: 'First' });
    await hooks().idle();
    answers.push(500);
    contoso().updatePerson(alex, { title: 'Second' });
    await hooks().idle();
    expect(received).toHaveLength(3);
    expect(hooks().deliveries().slice(-2)).toMatchObject([
      { attempts: 2, status: 200, succeeded: true },
      { attempts: 1, status: 500, succeeded: false },
    ]);
  });

  it('fails a call the receiver does not answer within the timeout', async () => {
    hooks().set({ timeoutMs: 300 });
    try {
      hooks().register({ url: receiverUrl, auth: { authtype: 'WebhookKey', key: 'k' } });
      hang = true;
      contoso().updatePerson(String(contoso().rows('systemuser')[0]?.systemuserid), {
        title: 'Slow',
      });
      await hooks().idle();
      expect(hooks().deliveries().at(-1)).toMatchObject({
        succeeded: false,
        status: undefined,
        error: expect.stringContaining('did not answer'),
      });
    } finally {
      hooks().set({ timeoutMs: 60_000 });
    }
  });

  it('registers through the admin API, never shows the key back, and refuses other ports when told', async () => {
    const admin = (path: string, method = 'GET', body?: unknown) =>
      sandboxFetch(`${sandbox.adminUrl}${path}`, { ca: sandbox.tls.caCert, method, body });
    const created = await admin('/directory/contoso/service-endpoints', 'POST', {
      url: receiverUrl,
      auth: { authtype: 'WebhookKey', key: 'admin-key' },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ contract: 8, authtype: 'WebhookKey', url: receiverUrl });
    const listed = await admin('/directory/contoso/service-endpoints');
    expect(listed.text).not.toContain('admin-key');
    const person = (
      await admin('/directory/contoso/users', 'POST', { fullname: 'Via Admin' })
    ).json();
    await admin(`/directory/contoso/users/${String(person.systemuserid)}`, 'PATCH', {
      isdisabled: true,
    });
    const deliveries = (await admin('/directory/contoso/webhook-deliveries')).json<{
      value: { messageName: string; succeeded: boolean }[];
    }>();
    expect(deliveries.value.slice(-2).map((item) => [item.messageName, item.succeeded])).toEqual([
      ['Create', true],
      ['Update', true],
    ]);
    expect(received.map((call) => call.url.searchParams.get('code'))).toEqual([
      'admin-key',
      'admin-key',
    ]);
    await admin('/directory/contoso/webhooks', 'POST', { enforcePorts: true });
    try {
      const refused = await admin('/directory/contoso/service-endpoints', 'POST', {
        url: receiverUrl,
        auth: { authtype: 'WebhookKey', key: 'k' },
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('Only ports 80 and 443');
    } finally {
      await admin('/directory/contoso/webhooks', 'POST', { enforcePorts: false });
    }
  });
});
