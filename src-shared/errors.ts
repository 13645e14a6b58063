import { z } from 'zod';

/**
 * Every error that crosses a boundary (IPC, HTTP, renderer) is one of these codes.
 * The message is written for the user; `retryable` says whether trying again may help.
 */
export const errorCodes = [
  'invalid_input',
  'unknown_method',
  'unauthorized',
  'forbidden',
  /** The organisation's directory (synced from Dynamics 365) marks this user inactive. */
  'user_inactive',
  'not_found',
  'conflict',
  'too_large',
  'throttled',
  'timeout',
  'cancelled',
  'needs_sign_in',
  'needs_reconnect',
  'needs_admin_consent',
  'consent_declined',
  'keychain_unavailable',
  'store_unreachable',
  'upstream_unavailable',
  'upstream_failed',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The serializable shape of an error; the only form in which errors cross a process boundary. */
export const errorDataSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string().max(2000),
  retryable: z.boolean(),
  /** When the caller may retry (epoch ms), for throttling. */
  retryAt: z.number().int().optional(),
  /** A link the user can follow to fix the problem (e.g. a prefilled admin-consent URL). */
  actionUrl: z.string().url().optional(),
  /** Which input fields were rejected, for `invalid_input`. */
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .max(50)
    .optional(),
});

export type ErrorData = z.infer<typeof errorDataSchema>;

/** The error value used everywhere in Workstation; it carries a code and a user-readable message. */
export class WorkstationError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAt: number | undefined;
  readonly actionUrl: string | undefined;
  readonly issues: ErrorData['issues'];

  constructor(data: ErrorData, options?: { cause?: unknown }) {
    super(data.message, options);
    this.name = 'WorkstationError';
    this.code = data.code;
    this.retryable = data.retryable;
    this.retryAt = data.retryAt;
    this.actionUrl = data.actionUrl;
    this.issues = data.issues;
  }

  /** The plain-data form, safe to serialize to the renderer or over HTTP. */
  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.retryAt !== undefined) data.retryAt = this.retryAt;
    if (this.actionUrl !== undefined) data.actionUrl = this.actionUrl;
    if (this.issues !== undefined) data.issues = this.issues;
    return data;
  }
}

const defaultRetryable: Record<ErrorCode, boolean> = {
  invalid_input: false,
  unknown_method: false,
  unauthorized: false,
  forbidden: false,
  user_inactive: false,
  not_found: false,
  conflict: true,
  too_large: false,
  throttled: true,
  timeout: true,
  cancelled: false,
  needs_sign_in: false,
  needs_reconnect: false,
  needs_admin_consent: false,
  consent_declined: false,
  keychain_unavailable: false,
  store_unreachable: true,
  upstream_unavailable: true,
  upstream_failed: true,
  unavailable: false,
  internal: false,
};

/** Builds a WorkstationError with the code's default retryability. */
export function workstationError(
  code: ErrorCode,
  message: string,
  extra: Partial<Omit<ErrorData, 'code' | 'message'>> = {},
  cause?: unknown,
): WorkstationError {
  return new WorkstationError(
    { code, message, retryable: defaultRetryable[code], ...extra },
    { cause },
  );
}

/** Whether a value is a WorkstationError (also across realms, where instanceof fails). */
export function isWorkstationError(value: unknown): value is WorkstationError {
  return (
    value instanceof WorkstationError ||
    (value instanceof Error && value.name === 'WorkstationError' && 'code' in value)
  );
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
