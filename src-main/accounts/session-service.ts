import type { SessionSummary } from '../../src-shared/domain/session';
import { isWorkstationError, workstationError } from '../../src-shared/errors';
import type { IBrowserOpener } from '../auth/msal-client-config';
import type { WorkstationSession } from '../auth/workstation-session';
import type { RootSecretService } from '../secrets/root-secret-service';

/** What the session service is made of; `session` is absent when no tenant is configured. */
export interface SessionServiceOptions {
  readonly mode: SessionSummary['mode'];
  readonly session: WorkstationSession | undefined;
  readonly rootSecrets: RootSecretService;
  readonly browser: IBrowserOpener;
  /** Called when the summary may have changed (sign-in finished or failed). */
  readonly onChange: () => void;
  /** Called after sign-out, so nothing of the old account outlives it. */
  readonly onSignOut: () => void;
}

const notConfigured =
  'Workstation is not connected to a Microsoft tenant yet (see the README: "Point it at your tenant").';

/**
 * The user's Workstation sign-in behind the contract's session methods: the keychain probe, the
 * remembered session, sign-in (its outcome arrives as an event, so no call waits on the user) and
 * sign-out, with what the user must know in `notice`.
 */
export class SessionService {
  #notice: string | undefined;

  constructor(private readonly options: SessionServiceOptions) {}

  /** Probes the keychain and reopens the remembered session. */
  async start(): Promise<void> {
    await this.options.rootSecrets.probe();
    await this.options.session?.start().catch((error: unknown) => {
      this.#notice = isWorkstationError(error)
        ? error.message
        : 'Your previous session could not be reopened.';
    });
  }

  summary(): SessionSummary {
    const { session, rootSecrets, mode } = this.options;
    const keychain = rootSecrets.keychain;
    const account = session?.account;
    const notice = !session
      ? notConfigured
      : keychain.state === 'unavailable'
        ? keychain.message
        : [keychain.notice, this.#notice].filter(Boolean).join(' ') || undefined;
    return {
      state: session?.state ?? 'signed_out',
      ...(account
        ? {
            account: {
              username: account.username,
              tenantId: account.tenantId,
              ...(account.name ? { displayName: account.name } : {}),
            },
          }
        : {}),
      keychain: keychain.state,
      mode,
      ...(notice ? { notice } : {}),
    };
  }

  /** Starts the interactive sign-in; the result arrives as `session:didChange`. */
  signIn(): SessionSummary {
    const session = this.#require();
    if (session.state === 'signed_in') return this.summary();
    this.#notice = undefined;
    void session.signIn(this.options.browser).then(
      () => this.options.onChange(),
      (error: unknown) => {
        this.#notice = isWorkstationError(error) ? error.message : 'Signing in did not complete.';
        this.options.onChange();
      },
    );
    return { ...this.summary(), state: 'signing_in' };
  }

  async signOut(): Promise<SessionSummary> {
    await this.options.session?.signOut();
    this.options.onSignOut();
    return this.summary();
  }

  #require(): WorkstationSession {
    if (!this.options.session)
      throw workstationError(
        'unavailable',
        'Workstation is not connected to a Microsoft tenant yet. See the README, "Point it at your tenant".',
      );
    return this.options.session;
  }
}
