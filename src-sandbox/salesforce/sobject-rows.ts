import { createHash } from 'node:crypto';
import { SalesforceError, notFound } from './salesforce-error';
import { normalizeId } from './salesforce-ids';
import type { SalesforceOrg, SfRecord } from './salesforce-org';
import { shapeRecord, type QueryContext, type ShapedRecord } from './soql-engine';
import {
  fieldOf,
  opportunityStages,
  sobjectByName,
  taskStatuses,
  type FieldMetadata,
  type SObjectMetadata,
} from './sobjects';

/** A hidden per-record save counter (no field of any object), so ETags change on every save. */
const VERSION = '__version';
/** Fields a record of each object cannot be saved without. */
const required: Record<string, readonly string[]> = {
  Account: ['Name'],
  Contact: ['LastName'],
  Lead: ['LastName', 'Company', 'Status'],
  Opportunity: ['Name', 'StageName', 'CloseDate'],
  Task: ['Status', 'Priority'],
};

/**
 * The record a `/sobjects/<Object>/<id>` path names. An unknown object is 404; a value that is not
 * an id of that object reads as an external id and is 404 too, with the message Salesforce uses.
 */
export function findRow(
  org: SalesforceOrg,
  typeName: string,
  idText: string,
): { sobject: SObjectMetadata; record: SfRecord } {
  const sobject = sobjectByName(typeName);
  if (!sobject) throw notFound();
  const id = normalizeId(idText);
  if (!id || !id.startsWith(sobject.keyPrefix))
    throw new SalesforceError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${idText}`,
    );
  const entry = org.byId.get(id);
  if (!entry || entry.type !== sobject.name || entry.record.IsDeleted === true) throw notFound();
  return { sobject, record: entry.record };
}

/**
 * ETags on sObject rows are served for Account records only ("Conditional Request Headers",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm).
 */
export function etagOf(sobject: SObjectMetadata, record: SfRecord): string | undefined {
  if (sobject.name !== 'Account') return undefined;
  return `"${createHash('sha256')
    .update(`${record.Id}|${String(record.SystemModstamp)}|${String(record[VERSION] ?? 0)}`)
    .digest('base64')}--gzip"`;
}

/** A row as `GET /sobjects/<Object>/<id>[?fields=a,b]` answers it: every field, or the ones asked for. */
export function readRow(
  sobject: SObjectMetadata,
  record: SfRecord,
  fieldsParam: string | null,
  context: QueryContext,
): ShapedRecord {
  const names = fieldsParam
    ? fieldsParam
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : sobject.fields.map((field) => field.name);
  const fields = names.map((name) => {
    const field = fieldOf(sobject.fields, name);
    if (!field)
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on sobject of type ${sobject.name}`,
      );
    return { field };
  });
  return shapeRecord(sobject.name, record, fields, context);
}

const deserialize = (type: string, value: unknown) =>
  new SalesforceError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${JSON.stringify(value)} or request may be missing a required field`,
  );

/** Checks one value against its field's type; answers the value to store. */
function checkValue(
  org: SalesforceOrg,
  sobject: SObjectMetadata,
  field: FieldMetadata,
  value: unknown,
): unknown {
  if (value === null || value === '') {
    if (field.picklist?.restricted && required[sobject.name]?.includes(field.name))
      throw new SalesforceError(
        400,
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${field.name}: bad value for restricted picklist field: ${String(value)}`,
        [field.name],
      );
    if (required[sobject.name]?.includes(field.name))
      throw new SalesforceError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${field.name}]`,
        [field.name],
      );
    return null;
  }
  switch (field.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw deserialize('boolean', value);
      return value;
    case 'currency':
    case 'double':
      if (typeof value !== 'number') throw deserialize('double', value);
      return value;
    case 'date':
      if (
        typeof value !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
        Number.isNaN(Date.parse(value))
      )
        throw deserialize('date', value);
      return value;
    case 'reference': {
      const id = typeof value === 'string' ? normalizeId(value) : undefined;
      const target = id ? org.byId.get(id) : undefined;
      if (!target || !field.reference?.to.includes(target.type))
        throw new SalesforceError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          `${field.name}: id value of incorrect type: ${String(value)}`,
          [field.name],
        );
      return target.record.Id;
    }
    default:
      if (typeof value !== 'string') throw deserialize('string', value);
      if (field.picklist?.restricted && !field.picklist.values.includes(value))
        throw new SalesforceError(
          400,
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.name}: bad value for restricted picklist field: ${value}`,
          [field.name],
        );
      return value;
  }
}

/**
 * `PATCH /sobjects/<Object>/<id>`: every field must exist (400 INVALID_FIELD) and be updatable
 * (400 INVALID_FIELD_FOR_INSERT_UPDATE); fields derived from others follow (a closed Task status
 * sets IsClosed). Answers nothing: the caller sends 204 ("Update a Record",
 * https://developer.salesforce.com/docs/platform/api-rest/guide/dome-update-fields.html).
 */
export function updateRow(
  org: SalesforceOrg,
  sobject: SObjectMetadata,
  record: SfRecord,
  body: unknown,
  ifMatch: string | undefined,
  now = Date.now(),
): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  const etag = etagOf(sobject, record);
  if (
    etag &&
    ifMatch !== undefined &&
    ifMatch !== '*' &&
    !ifMatch
      .split(',')
      .map((value) => value.trim())
      .includes(etag)
  ) {
    throw new SalesforceError(
      412,
      'PRECONDITION_FAILED',
      'The If-Match header does not match the current ETag of the record.',
    );
  }
  const changes: Record<string, unknown> = {};
  const readOnly: string[] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name === 'attributes') continue;
    const field = fieldOf(sobject.fields, name);
    if (!field)
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on sobject of type ${sobject.name}`,
      );
    if (!field.updatable) {
      readOnly.push(field.name);
      continue;
    }
    changes[field.name] = checkValue(org, sobject, field, value);
  }
  if (readOnly.length > 0)
    throw new SalesforceError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  Object.assign(record, changes);
  if ('FirstName' in changes || 'LastName' in changes)
    record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
  if (sobject.name === 'Task') {
    record.IsClosed =
      taskStatuses.find((status) => status.label === record.Status)?.isClosed ?? false;
    record.IsHighPriority = record.Priority === 'High';
    const what = typeof record.WhatId === 'string' ? org.byId.get(record.WhatId) : undefined;
    const who = typeof record.WhoId === 'string' ? org.byId.get(record.WhoId) : undefined;
    record.AccountId = what
      ? what.type === 'Account'
        ? what.record.Id
        : (what.record.AccountId ?? null)
      : who?.type === 'Contact'
        ? (who.record.AccountId ?? null)
        : null;
  }
  if (sobject.name === 'Opportunity' && 'StageName' in changes) {
    const stage = opportunityStages.find((candidate) => candidate.label === record.StageName);
    record.IsClosed = stage?.closed ?? false;
    record.IsWon = stage?.won ?? false;
    if (!('Probability' in changes)) record.Probability = stage?.probability ?? record.Probability;
  }
  const stamp = `${new Date(now).toISOString().slice(0, 19)}.000+0000`;
  record.LastModifiedDate = stamp;
  record.SystemModstamp = stamp;
  record[VERSION] = Number(record[VERSION] ?? 0) + 1;
}
