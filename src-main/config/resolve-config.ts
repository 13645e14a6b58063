import type { z } from 'zod';
import { workstationError } from '../../src-shared/errors';
import { appConfigSchema, type AppConfig } from './app-config';
import {
  configDocumentSchema,
  strictConfigDocumentSchema,
  type ConfigDocument,
} from './config-document';
import type { ConfigSource } from './config-source';

/** What the host decides itself; the sources cannot move the data folder. */
export interface ConfigBase {
  readonly environment: AppConfig['environment'];
  readonly dataDir: string;
  readonly mode?: AppConfig['mode'];
}

/** The configuration, and what was ignored (fields this version does not know) for the log. */
export interface ResolvedConfig {
  readonly config: AppConfig;
  readonly warnings: readonly string[];
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges the sources field by field, the first one winning (the policy, then the user's file, then
 * the environment), after checking each on its own so an error names the source and the field:
 * "/etc/workstation/policy.json: tokenStore.url must be an https URL". Every invalid field of every
 * source is reported at once; unknown fields are ignored with a warning, so one policy can serve
 * several Workstation versions.
 */
export function resolveConfig(sources: readonly ConfigSource[], base: ConfigBase): ResolvedConfig {
  const errors: string[] = [];
  const warnings: string[] = [];
  const documents: { source: ConfigSource; document: ConfigDocument }[] = [];
  for (const source of sources) {
    const where = (path: readonly PropertyKey[]) => {
      const names = path.map(String);
      return source.fieldName?.(names) ?? names.join('.');
    };
    if (!isPlain(source.document)) {
      errors.push(`${source.origin} must hold one object of settings`);
      continue;
    }
    const strict = strictConfigDocumentSchema.safeParse(source.document);
    const issues: z.core.$ZodIssue[] = strict.success ? [] : strict.error.issues;
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys)
          warnings.push(
            `${source.origin}: ${where([...issue.path, key])} is not a Workstation setting; it is ignored`,
          );
      else errors.push(`${source.origin}: ${where(issue.path)} ${issue.message}`);
    }
    const loose = configDocumentSchema.safeParse(source.document);
    if (loose.success) documents.push({ source, document: loose.data });
  }
  if (errors.length > 0) throw invalid(errors);

  const merged = documents.reduce<Plain>((out, { document }) => mergeUnder(out, document), {});
  const doc = merged as ConfigDocument;
  const managed = documents
    .filter(({ source }) => source.managed)
    .flatMap(({ document }) => leafPaths(document));

  const required = {
    authority: doc.authority,
    clientId: doc.clientId,
    'tokenStore.url': doc.tokenStore?.url,
    'tokenStore.scope': doc.tokenStore?.scope,
  };
  const given = Object.values(required).some((value) => value !== undefined);
  const missing = Object.entries(required)
    .filter(([, value]) => value === undefined)
    .map(([field]) => field);
  if (given && missing.length > 0) {
    const origins = sources.map((source) => source.origin).join(', ');
    throw invalid([
      `the tenant settings are incomplete: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (read from ${origins})`,
    ]);
  }
  const identity = given
    ? {
        authority: doc.authority,
        knownAuthorities: doc.knownAuthorities,
        protocolMode: doc.protocolMode,
        clientId: doc.clientId,
        tokenStoreUrl: doc.tokenStore?.url,
        tokenStoreScope: doc.tokenStore?.scope,
        graphBaseUrl: doc.graphBaseUrl,
        extraCaPath: doc.extraCaPath,
        extraOrgOrigins: doc.extraOrgOrigins,
        integrations: doc.integrations,
      }
    : undefined;
  const parsed = appConfigSchema.safeParse({
    environment: base.environment,
    dataDir: base.dataDir,
    // A configured tenant is a real one; the demo tenant is added by the host afterwards.
    mode: base.mode ?? (identity ? 'tenant' : undefined),
    logLevel: doc.logLevel,
    identity,
    openAtLogin: doc.openAtLogin,
    updates: doc.updates,
    managed,
  });
  if (!parsed.success)
    throw invalid(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return { config: parsed.data, warnings };
}

function invalid(problems: readonly string[]) {
  return workstationError(
    'invalid_input',
    `Workstation's configuration is not valid: ${problems.join('; ')}.`,
  );
}

/** `lower` with every field `higher` sets put over it; objects merge, lists and values replace. */
function mergeUnder(higher: Plain, lower: Plain): Plain {
  const out: Plain = { ...lower };
  for (const [key, value] of Object.entries(higher)) {
    if (value === undefined) continue;
    const below = out[key];
    out[key] = isPlain(value) && isPlain(below) ? mergeUnder(value, below) : value;
  }
  return out;
}

/** The dotted paths of the fields a document sets (lists count as one field). */
function leafPaths(value: Plain, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, item]) => {
    if (item === undefined) return [];
    const path = `${prefix}${key}`;
    return isPlain(item) ? leafPaths(item, `${path}.`) : [path];
  });
}
