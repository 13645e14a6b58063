/** A Dataverse-shaped failure: `{"error":{"code":"0x...","message":"..."}}` with its HTTP status. */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DataverseError';
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The URI-parse family of errors (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors). */
export const queryError = (message: string) => new DataverseError(400, '0x80060888', message);
export const unknownProperty = (property: string, entity: string) =>
  new DataverseError(
    400,
    '0x0',
    `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${entity}'.`,
  );
