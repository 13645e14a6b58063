import type { SyncErrorCode } from '../../src-shared/tokenstore/directory-api';

/**
 * Why a run stopped, in the admin's words, with the upstream's own code when it gave one: what the
 * run record keeps and the console shows. Messages never hold a secret or a token.
 */
export class SyncFailure extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly upstreamCode: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncFailure';
  }
}

/** A change-tracking link Dataverse no longer honours: the run reads everything again instead. */
export class DeltaLinkExpired extends Error {
  constructor(readonly status: number) {
    super(`The change-tracking link was refused (HTTP ${status}).`);
    this.name = 'DeltaLinkExpired';
  }
}
