import type { ResourceScope } from './scopes';

/** The id of the sandbox tenants' one Conditional Access policy: "Require MFA" for the resources the knob names. */
export const MFA_POLICY_ID = '5a1d7c3e-2b4f-4e6a-8d9c-0f1e2d3c4b5a';

/** Whether the policy covers `resource` with the knob as it is now. */
export function mfaRequired(
  required: readonly ResourceScope['name'][],
  resource: ResourceScope,
): boolean {
  return required.includes(resource.name);
}

/**
 * The claims challenge Entra sends with a Conditional Access failure at the token endpoint: a JSON
 * string (not base64, unlike a resource's WWW-Authenticate) naming the policy ids to satisfy. The
 * client passes it as the `claims` of its next interactive request.
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge
 */
export function mfaClaimsChallenge(): string {
  return JSON.stringify({
    access_token: { capolids: { essential: true, values: [MFA_POLICY_ID] } },
  });
}
