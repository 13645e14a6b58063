import type { DirectorySettings, SecretReference } from '../../src-shared/tokenstore/directory-api';
import type { FormBody } from './form-body';

/** The Directory sync settings as the form shows them: every field as text. */
export interface DirectorySettingsDraft {
  readonly enabled: boolean;
  readonly orgUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: 'certificate' | 'secret';
  readonly privateKey: SecretDraft;
  readonly certificate: SecretDraft;
  readonly secret: SecretDraft;
  readonly authorityHost: string;
  readonly everyHours: string;
  readonly pageSize: string;
  readonly syncTeams: boolean;
  readonly webhookKey: SecretDraft;
}

/** Where a secret lives: an environment variable or a file of the secrets folder, by name. */
export interface SecretDraft {
  readonly from: 'env' | 'file';
  readonly name: string;
}

const NO_SECRET: SecretDraft = { from: 'file', name: '' };
const draftOf = (reference: SecretReference | undefined): SecretDraft =>
  reference ? { from: reference.from, name: reference.name } : NO_SECRET;

/** The stored settings (or none yet) as the form's first draft. */
export function directoryDraft(settings: DirectorySettings | null): DirectorySettingsDraft {
  const credential = settings?.credential;
  return {
    enabled: settings?.enabled ?? true,
    orgUrl: settings?.orgUrl ?? '',
    tenantId: settings?.tenantId ?? '',
    clientId: settings?.clientId ?? '',
    credential: credential?.kind ?? 'certificate',
    privateKey: draftOf(credential?.kind === 'certificate' ? credential.privateKey : undefined),
    certificate: draftOf(credential?.kind === 'certificate' ? credential.certificate : undefined),
    secret: draftOf(credential?.kind === 'secret' ? credential.secret : undefined),
    authorityHost: settings?.authorityHost ?? '',
    everyHours: settings ? String(settings.everyHours) : '',
    pageSize: settings ? String(settings.pageSize) : '',
    syncTeams: settings?.syncTeams ?? true,
    webhookKey: draftOf(settings?.webhookKey),
  };
}

/** The submitted form as a draft (to show again) and as the settings to check and save. */
export function directoryFromForm(
  form: FormBody,
  stored: DirectorySettings | null,
): { draft: DirectorySettingsDraft; input: Record<string, unknown> } {
  const secret = (prefix: string): SecretDraft => ({
    from: form.get(`${prefix}.from`) === 'env' ? 'env' : 'file',
    name: form.get(`${prefix}.name`),
  });
  const draft: DirectorySettingsDraft = {
    enabled: form.get('enabled') === 'on',
    orgUrl: form.get('orgUrl'),
    tenantId: form.get('tenantId'),
    clientId: form.get('clientId'),
    credential: form.get('credential') === 'secret' ? 'secret' : 'certificate',
    privateKey: secret('privateKey'),
    certificate: secret('certificate'),
    secret: secret('secret'),
    authorityHost: form.get('authorityHost'),
    everyHours: form.get('everyHours'),
    pageSize: form.get('pageSize'),
    syncTeams: form.get('syncTeams') === 'on',
    webhookKey: secret('webhookKey'),
  };
  const number = (text: string) => (/^\d+$/.test(text) ? Number(text) : text || undefined);
  const input: Record<string, unknown> = {
    enabled: draft.enabled,
    orgUrl: draft.orgUrl,
    tenantId: draft.tenantId,
    clientId: draft.clientId,
    credential:
      draft.credential === 'secret'
        ? { kind: 'secret', secret: draft.secret }
        : { kind: 'certificate', privateKey: draft.privateKey, certificate: draft.certificate },
    ...(draft.authorityHost ? { authorityHost: draft.authorityHost } : {}),
    ...(number(draft.everyHours) !== undefined ? { everyHours: number(draft.everyHours) } : {}),
    ...(number(draft.pageSize) !== undefined ? { pageSize: number(draft.pageSize) } : {}),
    syncTeams: draft.syncTeams,
    ...(draft.webhookKey.name ? { webhookKey: draft.webhookKey } : {}),
    // The field mapping has no form: what is stored is kept (defaults otherwise).
    ...(stored ? { mapping: stored.mapping } : {}),
  };
  return { draft, input };
}
