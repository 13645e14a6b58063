import { randomUUID } from 'node:crypto';
import type { Row } from '../data/sample-data';
import type { DirectoryChange } from './directory-tables';

const ENTITY = 'Entity:http://schemas.microsoft.com/xrm/2011/Contracts';
const REFERENCE = 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts';
/** The payload size past which Dataverse trims the context and says so in a header. */
export const MAX_WEBHOOK_PAYLOAD = 256 * 1024;

/** Where the context comes from: the org and the step that fired. */
export interface ContextOrigin {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly businessUnitId: string;
  /** The systemuser the change is attributed to (the admin making it). */
  readonly userId: string;
  /** The step's sdkmessageprocessingstep id. */
  readonly stepId: string;
}

/** `/Date(1506384247000)/`: how the data contract serializer writes a DateTime. */
const wcfDate = (iso: string) => `/Date(${Date.parse(iso)})/`;

/** A Web API column as an SDK attribute: `_x_value` lookups become EntityReferences named `x`. */
function attribute(column: string, value: unknown): { key: string; value: unknown } {
  const lookup = /^_(.+)_value$/.exec(column);
  if (lookup)
    return {
      key: lookup[1] as string,
      value:
        value === null
          ? null
          : {
              __type: REFERENCE,
              Id: value,
              KeyAttributes: [],
              LogicalName: lookup[1] === 'businessunitid' ? 'businessunit' : lookup[1],
              Name: null,
              RowVersion: null,
            },
    };
  if ((column === 'createdon' || column === 'modifiedon') && typeof value === 'string')
    return { key: column, value: wcfDate(value) };
  return { key: column, value };
}

function entity(logicalName: string, id: string, row: Row, columns: readonly string[]) {
  return {
    __type: ENTITY,
    Attributes: columns
      .filter((column) => column !== 'versionnumber' && column in row)
      .map((column) => attribute(column, row[column])),
    EntityState: null,
    FormattedValues: [],
    Id: id,
    KeyAttributes: [],
    LogicalName: logicalName,
    RelatedEntities: [],
    RowVersion: null,
  };
}

/** The message a change is: Create, Update or Delete. */
export const messageOf = (change: DirectoryChange) =>
  change.kind === 'created' ? 'Create' : change.kind === 'deleted' ? 'Delete' : 'Update';

/**
 * The JSON of a RemoteExecutionContext for one change, as an asynchronous PostOperation step sends
 * it (https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks#request-body):
 * collections as `{key, value}` arrays, DateTimes as `/Date(ms)/`, the Target holding the changed
 * columns for an Update, every column for a Create, and an EntityReference for a Delete.
 */
export function remoteExecutionContext(
  change: DirectoryChange,
  origin: ContextOrigin,
  at: number,
): Record<string, unknown> {
  const primaryKey = `${change.table}id`;
  const message = messageOf(change);
  const target =
    message === 'Delete'
      ? {
          __type: REFERENCE,
          Id: change.id,
          KeyAttributes: [],
          LogicalName: change.table,
          Name: null,
          RowVersion: null,
        }
      : entity(
          change.table,
          change.id,
          change.row,
          message === 'Create'
            ? Object.keys(change.row)
            : [...new Set([...change.changed, primaryKey])],
        );
  const correlationId = randomUUID();
  const context = (depth: number, stage: number) => ({
    BusinessUnitId: origin.businessUnitId,
    CorrelationId: correlationId,
    Depth: depth,
    InitiatingUserId: origin.userId,
    InputParameters: [{ key: 'Target', value: target }],
    IsExecutingOffline: false,
    IsInTransaction: false,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: message,
    Mode: 1,
    OperationCreatedOn: `/Date(${at}+0000)/`,
    OperationId: randomUUID(),
    OrganizationId: origin.organizationId,
    OrganizationName: origin.organizationName,
    OutputParameters: message === 'Create' ? [{ key: 'id', value: change.id }] : ([] as unknown[]),
    OwningExtension: {
      Id: origin.stepId,
      KeyAttributes: [],
      LogicalName: 'sdkmessageprocessingstep',
      Name: null,
      RowVersion: null,
    },
    PostEntityImages:
      message === 'Delete' || stage !== 40
        ? []
        : [
            {
              key: 'AsynchronousStepPrimaryName',
              value: { ...entity(change.table, change.id, change.row, ['fullname', primaryKey]) },
            },
          ],
    PreEntityImages: [] as unknown[],
    PrimaryEntityId: change.id,
    PrimaryEntityName: change.table,
    RequestId: null,
    SecondaryEntityName: 'none',
    SharedVariables: [] as unknown[],
    Stage: stage,
    UserId: origin.userId,
  });
  return { ...context(1, 40), ParentContext: { ...context(1, 30), ParentContext: null } };
}

/** Past 256 KB, the parts Dataverse leaves out (use-webhooks: "the following properties will be removed"). */
export function trimmed(context: Record<string, unknown>): Record<string, unknown> {
  const {
    ParentContext: _parent,
    InputParameters: _input,
    PreEntityImages: _pre,
    PostEntityImages: _post,
    ...rest
  } = context;
  return rest;
}
