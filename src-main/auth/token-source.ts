/** Gives one connection's access tokens; throws WorkstationErrors that say what the user must do. */
export interface ITokenSource {
  getAccessToken(options?: { readonly forceRefresh?: boolean }): Promise<string>;
}
