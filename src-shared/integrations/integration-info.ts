import type { z } from 'zod';

/** What an integration can do for the user; the launcher shows a widget or a source per capability. */
export type Capability = 'search' | 'tasks' | 'meetings';

/** One field of the Connect form (Dynamics: the org; Salesforce: the environment). */
export interface ConnectField {
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'choice';
  readonly placeholder?: string;
  readonly help?: string;
  /** For `choice`: the values offered; an admin's pinned targets replace them. */
  readonly choices?: readonly { readonly value: string; readonly label: string }[];
}

/** Where origins that are not the vendor's public hosts may be allowed (the sandbox in the demo). */
export interface TargetPolicy {
  /** Exact https origins accepted besides the vendor's host pattern. */
  readonly extraOrigins: readonly string[];
}

/** A connection's target as both the app and the token store agree on it. */
export interface ConnectionTarget {
  /** Stable within the integration: `contoso` (an org), `sandbox` (an environment). */
  readonly connectionId: string;
  /** What chips, rows and cards say after the integration's name: "contoso", "sandbox". */
  readonly label: string;
  /** The https origin the connection signs in to or talks to (an org URL, a login host). */
  readonly origin: string;
}

/**
 * What the renderer, the token store and main all know of an integration: catalog text, what it
 * can do, how a connection is named from the user's input, and which admin settings are valid.
 * Everything an integration adds lives in its own file here and its folder in src-main.
 */
export interface IntegrationInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly capabilities: readonly Capability[];
  /** Whether a user may hold several connections (two orgs, production and sandbox). */
  readonly multipleConnections: boolean;
  /** The Connect form; empty when there is nothing to choose (one connection per user). */
  readonly connectFields: readonly ConnectField[];
  /** The admin's settings for this integration, checked by the token store and re-checked by the app. */
  adminSettingsSchema(policy: TargetPolicy): z.ZodType<AdminSettings>;
  /** The targets an admin pinned (the user picks one, or connects it without a form). */
  pinnedTargets(settings: AdminSettings): readonly ConnectionTarget[];
  /** The user's Connect form answered: a target, or the first problem in the user's words. */
  targetFromInput(
    input: Readonly<Record<string, string>>,
    settings: AdminSettings,
    policy: TargetPolicy,
  ): ConnectionTarget | { readonly problem: string };
}

/** An integration's admin settings: small JSON the token store keeps per tenant. */
export type AdminSettings = Readonly<Record<string, unknown>>;
