import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import type { DirectoryChange, DirectoryTables } from './directory-tables';
import {
  MAX_WEBHOOK_PAYLOAD,
  messageOf,
  remoteExecutionContext,
  trimmed,
  type ContextOrigin,
} from './remote-execution-context';

/**
 * How a webhook proves itself to its receiver, the three options of
 * https://learn.microsoft.com/power-apps/developer/data-platform/register-web-hook#authentication-options:
 * HttpHeader (headers), WebhookKey (the query string `code=<key>`), HttpQueryString (query pairs).
 */
export const webhookAuthSchema = z.discriminatedUnion('authtype', [
  z.object({ authtype: z.literal('WebhookKey'), key: z.string().min(1) }),
  z.object({
    authtype: z.literal('HttpHeader'),
    headers: z
      .record(z.string().min(1), z.string())
      .refine((value) => Object.keys(value).length > 0),
  }),
  z.object({
    authtype: z.literal('HttpQueryString'),
    query: z.record(z.string().min(1), z.string()).refine((value) => Object.keys(value).length > 0),
  }),
]);

/** A webhook registration and its step, as the admin sends it. */
export const serviceEndpointInputSchema = z.object({
  name: z.string().min(1).default('Workstation directory'),
  url: z.url({ protocol: /^https?$/ }),
  auth: webhookAuthSchema,
  /** The step's messages on systemuser; Create, Update and Delete by default. */
  messages: z
    .array(z.enum(['Create', 'Update', 'Delete']))
    .min(1)
    .default(['Create', 'Update', 'Delete']),
  /** An Update step's filtering attributes: only changes to these columns fire it (all when absent). */
  filteringAttributes: z.array(z.string().min(1)).optional(),
});
export type ServiceEndpointInput = z.input<typeof serviceEndpointInputSchema>;

/** A registered webhook (a serviceendpoint row with contract 8) with its step on systemuser. */
export interface ServiceEndpoint {
  readonly serviceendpointid: string;
  readonly stepId: string;
  readonly name: string;
  readonly url: string;
  readonly contract: 8;
  readonly authtype: 'WebhookKey' | 'HttpHeader' | 'HttpQueryString';
  readonly messages: readonly ('Create' | 'Update' | 'Delete')[];
  readonly filteringAttributes: readonly string[] | undefined;
}

/** One call of a webhook and how it ended (what the System Jobs view would show). */
export interface WebhookDelivery {
  readonly serviceendpointid: string;
  readonly messageName: string;
  readonly primaryEntityId: string;
  readonly attempts: number;
  /** The receiver's status, or undefined when it never answered (timeout, refused connection). */
  readonly status: number | undefined;
  readonly succeeded: boolean;
  readonly error: string | undefined;
}

/** The webhook caller's settings. */
export interface WebhookKnobs {
  /** How long a receiver has to answer: 60 seconds (use-webhooks, "Troubleshoot WebHook registrations"). */
  readonly timeoutMs: number;
  /** Refuse endpoints on ports other than 80 and 443, as Dataverse does; off so local receivers can listen anywhere. */
  readonly enforcePorts: boolean;
}

/**
 * Dataverse's webhook sender for an org's systemusers: each change runs the registered steps
 * asynchronously (Mode 1, PostOperation), POSTing the RemoteExecutionContext with the documented
 * `x-ms-dynamics-*` headers and the endpoint's authentication; only the status counts, 2xx is
 * success, 502/503/504 get one more attempt, and a receiver slower than the timeout fails
 * (https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks).
 */
export class WebhookCaller {
  readonly #endpoints = new Map<
    string,
    ServiceEndpoint & { auth: z.infer<typeof webhookAuthSchema> }
  >();
  readonly #deliveries: WebhookDelivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #knobs: WebhookKnobs = { timeoutMs: 60_000, enforcePorts: false };

  constructor(
    directory: DirectoryTables,
    private readonly options: {
      readonly origin: () => Omit<ContextOrigin, 'stepId'>;
      /** The environment's domain, `x-ms-dynamics-organization`. */
      readonly organizationDomain: () => string;
      /** CA certificates an HTTPS receiver's certificate may chain to (the sandbox's CA). */
      readonly ca: string;
      readonly now?: () => number;
    },
  ) {
    directory.onChange((change) => {
      if (change.table === 'systemuser') this.dispatch(change);
    });
  }

  set(knobs: Partial<WebhookKnobs>): WebhookKnobs {
    this.#knobs = { ...this.#knobs, ...knobs };
    return this.#knobs;
  }

  /** Registers a webhook and its step; a port other than 80/443 is refused when ports are enforced. */
  register(input: ServiceEndpointInput): ServiceEndpoint {
    const parsed = serviceEndpointInputSchema.parse(input);
    const url = new URL(parsed.url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    if (this.#knobs.enforcePorts && port !== '80' && port !== '443')
      throw new Error(
        `Only ports 80 and 443 are supported for webhooks; ${parsed.url} uses ${port}.`,
      );
    const endpoint = {
      serviceendpointid: randomUUID(),
      stepId: randomUUID(),
      name: parsed.name,
      url: parsed.url,
      contract: 8 as const,
      authtype: parsed.auth.authtype,
      auth: parsed.auth,
      messages: parsed.messages,
      filteringAttributes: parsed.filteringAttributes,
    };
    this.#endpoints.set(endpoint.serviceendpointid, endpoint);
    return this.describe(endpoint);
  }

  unregister(serviceendpointid: string): boolean {
    return this.#endpoints.delete(serviceendpointid);
  }

  /** The registrations; like Dataverse, never the authentication values. */
  list(): readonly ServiceEndpoint[] {
    return [...this.#endpoints.values()].map((endpoint) => this.describe(endpoint));
  }

  deliveries(): readonly WebhookDelivery[] {
    return [...this.#deliveries];
  }

  /** Resolves once every call under way has ended (tests and the admin API wait on it). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  private describe(endpoint: ServiceEndpoint): ServiceEndpoint {
    const {
      serviceendpointid,
      stepId,
      name,
      url,
      contract,
      authtype,
      messages,
      filteringAttributes,
    } = endpoint;
    return {
      serviceendpointid,
      stepId,
      name,
      url,
      contract,
      authtype,
      messages,
      filteringAttributes,
    };
  }

  private dispatch(change: DirectoryChange): void {
    const message = messageOf(change);
    for (const endpoint of this.#endpoints.values()) {
      if (!endpoint.messages.includes(message)) continue;
      if (
        message === 'Update' &&
        endpoint.filteringAttributes &&
        !endpoint.filteringAttributes.some((column) => change.changed.includes(column))
      )
        continue;
      const call = this.deliver(endpoint, change).finally(() => this.#inFlight.delete(call));
      this.#inFlight.add(call);
    }
  }

  private async deliver(
    endpoint: ServiceEndpoint & { auth: z.infer<typeof webhookAuthSchema> },
    change: DirectoryChange,
  ): Promise<void> {
    const context = remoteExecutionContext(
      change,
      { ...this.options.origin(), stepId: endpoint.stepId },
      (this.options.now ?? Date.now)(),
    );
    let body = JSON.stringify(context);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-request-id': randomUUID(),
      'x-ms-dynamics-organization': this.options.organizationDomain(),
      'x-ms-dynamics-entity-name': change.table,
      'x-ms-dynamics-request-name': messageOf(change),
      'x-ms-correlation-request-id': String(context.CorrelationId),
    };
    if (Buffer.byteLength(body) > MAX_WEBHOOK_PAYLOAD) {
      body = JSON.stringify(trimmed(context));
      headers['x-ms-dynamics-msg-size-exceeded'] = 'true';
    }
    const url = new URL(endpoint.url);
    if (endpoint.auth.authtype === 'WebhookKey') url.searchParams.set('code', endpoint.auth.key);
    if (endpoint.auth.authtype === 'HttpQueryString')
      for (const [key, value] of Object.entries(endpoint.auth.query))
        url.searchParams.set(key, value);
    if (endpoint.auth.authtype === 'HttpHeader') Object.assign(headers, endpoint.auth.headers);

    let attempts = 0;
    let outcome: { status?: number; error?: string };
    do {
      attempts += 1;
      outcome = await this.post(url, headers, body);
    } while (attempts < 2 && [502, 503, 504].includes(outcome.status ?? 0));
    const succeeded = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
    this.#deliveries.push({
      serviceendpointid: endpoint.serviceendpointid,
      messageName: messageOf(change),
      primaryEntityId: change.id,
      attempts,
      status: outcome.status,
      succeeded,
      error: succeeded
        ? undefined
        : (outcome.error ?? `The receiver answered ${String(outcome.status)}.`),
    });
  }

  private post(
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status?: number; error?: string }> {
    return new Promise((resolve) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          ...(url.protocol === 'https:' ? { ca: this.options.ca } : {}),
          timeout: this.#knobs.timeoutMs,
        },
        (res) => {
          // Only the status is read; the body is drained and ignored.
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode }));
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({ error: `The receiver did not answer within ${this.#knobs.timeoutMs} ms.` });
      });
      req.on('error', (error) => resolve({ error: error.message }));
      req.end(body);
    });
  }
}
