import { z } from 'zod';
import type { EventChannel, MethodChannel } from './channels';
import { appInfoSchema } from './domain/app-info';
import {
  connectInputSchema,
  disconnectInputSchema,
  integrationListSchema,
} from './domain/integrations';
import { meetingListSchema } from './domain/meetings';
import { browserRequestSchema, sessionSummarySchema } from './domain/session';
import { taskListSchema } from './domain/tasks';
import {
  queryIdSchema,
  searchBatchSchema,
  searchCompleteSchema,
  searchQueryInputSchema,
} from './domain/search';
import { settingsPatchSchema, settingsSchema } from './domain/settings';
import type { Result } from './result';

const noInput = z.object({}).strict();

/** A method: the schema of its single object argument and of its answer. */
export interface MethodSpec {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
}

/**
 * Every renderer-to-main method. Both bindings (Electron IPC and the web host) are generated
 * from this table, so a method cannot exist in one transport and not the other.
 */
export const methods = {
  'app:info': { input: noInput, output: appInfoSchema },
  /** Hides the launcher window (Esc on an empty box); the web host has no window to hide. */
  'app:hide': { input: noInput, output: z.object({ hidden: z.boolean() }) },
  /**
   * Opens the desktop app's log folder in the file manager (Settings > General > "Open logs").
   * The web host has no log folder (it logs to its terminal) and answers `opened: false`.
   */
  'app:openLogs': {
    input: noInput,
    output: z.object({ opened: z.boolean(), path: z.string().max(4096).optional() }),
  },
  /**
   * Whether this window is shown (the page's visibilityState, sent at load and on each change).
   * Main polls the organisation's policy less often while every window is hidden. Answers whether
   * any window of the app is shown now.
   */
  'app:visibility': {
    input: z.object({ visible: z.boolean() }).strict(),
    output: z.object({ anyVisible: z.boolean() }),
  },
  /** Starts a search; results stream back as `search:didReceiveBatch` events keyed by `queryId`. */
  'search:query': { input: searchQueryInputSchema, output: z.object({ queryId: queryIdSchema }) },
  /** Aborts a query the user has moved past, so it costs no further upstream requests. */
  'search:cancel': {
    input: z.object({ queryId: queryIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  'integrations:list': { input: noInput, output: integrationListSchema },
  /**
   * Starts connecting (consent opens in the browser): a new connection from the form's fields, or a
   * reconnect of `connectionId`. Progress and outcome arrive as `integrations:didChange`.
   */
  'integrations:connect': { input: connectInputSchema, output: integrationListSchema },
  /**
   * Stops waiting for a Connect the user abandoned (closed the consent tab): the row leaves
   * "Connecting…" at once. A consent finished later in the browser still counts.
   */
  'integrations:cancelConnect': { input: disconnectInputSchema, output: integrationListSchema },
  /** Deletes the connection's local cache and its remote blob (and revokes it where the CRM can). */
  'integrations:disconnect': { input: disconnectInputSchema, output: integrationListSchema },
  'session:get': { input: noInput, output: sessionSummarySchema },
  /** Starts the Workstation sign-in (browser); the outcome arrives as `session:didChange`. */
  'session:signIn': { input: noInput, output: sessionSummarySchema },
  'session:signOut': { input: noInput, output: sessionSummarySchema },
  /**
   * Opens a result or meeting link after main checked it (https, the org's or a meeting service's
   * host). The web host cannot open the user's browser: it answers `opened: false` and the page opens it.
   */
  'links:open': {
    input: z.object({ url: z.string().max(4096) }).strict(),
    output: z.object({ opened: z.boolean(), url: z.string().url() }),
  },
  /** Open CRM tasks owned by the user, from every connected CRM: overdue first, then by due date. */
  'tasks:list': { input: noInput, output: taskListSchema },
  /** Marks a task completed in the CRM it came from. */
  'tasks:complete': {
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    output: z.object({ completed: z.literal(true) }),
  },
  /** Meetings for the rest of today and tomorrow; cancelled and declined ones left out. */
  'meetings:list': { input: noInput, output: meetingListSchema },
  'settings:get': { input: noInput, output: settingsSchema },
  'settings:set': { input: settingsPatchSchema, output: settingsSchema },
} as const satisfies Record<MethodChannel, MethodSpec>;

/** Every main-to-renderer event and the schema of its payload. */
export const events = {
  'search:didReceiveBatch': searchBatchSchema,
  'search:didComplete': searchCompleteSchema,
  'integrations:didChange': integrationListSchema,
  'settings:didChange': settingsSchema,
  'session:didChange': sessionSummarySchema,
  /** Web host only: the renderer opens this sign-in or consent page in a new tab. */
  'auth:didRequestBrowser': browserRequestSchema,
} as const satisfies Record<EventChannel, z.ZodType>;

export type Methods = typeof methods;
export type Events = typeof events;
/** What the caller passes to a method (before defaults are applied). */
export type MethodInput<C extends MethodChannel> = z.input<Methods[C]['input']>;
/** What a handler receives, after the schema parsed it. */
export type MethodParsedInput<C extends MethodChannel> = z.output<Methods[C]['input']>;
export type MethodOutput<C extends MethodChannel> = z.output<Methods[C]['output']>;
export type EventPayload<E extends EventChannel> = z.output<Events[E]>;

/**
 * The raw bridge exposed as `window.workstation` (by the preload in Electron, by the web bridge
 * in a browser). Answers are Results; `createWorkstationClient` turns failures into WorkstationError.
 */
export interface WorkstationBridge {
  invoke<C extends MethodChannel>(
    channel: C,
    input: MethodInput<C>,
  ): Promise<Result<MethodOutput<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export type { EventChannel, MethodChannel } from './channels';
