import { workstationError } from '../../../src-shared/errors';

/** The most open tasks one list asks for: the My CRM Tasks widget shows at most 200 in all. */
export const MAX_TASKS = 200;

const escapes: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\f': '\\f',
};

/**
 * A SOQL string literal: `'` and `\` are reserved and written `\'` and `\\`; line breaks, tabs and
 * double quotes have their own escape sequences, and any other control character is refused
 * rather than guessed ("Reserved Characters",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_reservedcharacters.htm;
 * "Quoted String Escape Sequences", https://developer.salesforce.com/docs/atlas.en-us.198.0.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm).
 */
export function soqlString(value: string): string {
  if (/\p{Cc}/u.test(value.replace(/[\n\r\t\f]/g, '')))
    throw workstationError(
      'invalid_input',
      'The value contains a control character SOQL cannot quote.',
    );
  return `'${value.replace(/[\\'"\n\r\t\f]/g, (char) => escapes[char] ?? char)}'`;
}

/**
 * The signed-in user's open tasks, earliest due first and undated last. Open means `IsClosed =
 * false`, which follows the status value's own flag, so an org's custom closed statuses are
 * excluded too ("TaskStatus",
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_taskstatus.htm).
 * REST SOQL has no bind variables, so the user id is sent as a quoted literal.
 */
export function myOpenTasksSoql(userId: string, limit = MAX_TASKS): string {
  return (
    'SELECT Id, Subject, Status, Priority, ActivityDate, What.Name, What.Type, Who.Name, Who.Type FROM Task ' +
    `WHERE OwnerId = ${soqlString(userId)} AND IsClosed = false ORDER BY ActivityDate ASC NULLS LAST LIMIT ${Math.max(1, Math.floor(limit))}`
  );
}
