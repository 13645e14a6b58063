import { z } from 'zod';
import { errorDataSchema, type ErrorData } from './errors';

/** What every handler answers across a transport: errors travel as data, never as thrown objects. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorData };

/** Wraps a value in a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps error data in a failed Result. */
export function fail(error: ErrorData): Result<never> {
  return { ok: false, error };
}

/** Schema of a Result whose value is described by `value`. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: errorDataSchema }),
  ]);
}
