import type { SalesforceOrg, SalesforceUser } from './salesforce-org';

/** The user's current offset from UTC in milliseconds, in its time zone. */
function utcOffset(timeZone: string, now = Date.now()): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((local - now) / 60_000) * 60_000;
}

/**
 * The identity service's URLs for the org. Without a `version` parameter the API URLs carry the
 * literal `{version}` placeholder ("Identity URLs",
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm).
 */
function urlsOf(
  org: SalesforceOrg,
  user: SalesforceUser,
  instance: string,
  version: string | undefined,
): Record<string, string> {
  const v = version ?? '{version}';
  const org15 = org.orgId.slice(0, 15);
  const rest = `${instance}/services/data/v${v}`;
  return {
    enterprise: `${instance}/services/Soap/c/${v}/${org15}`,
    metadata: `${instance}/services/Soap/m/${v}/${org15}`,
    partner: `${instance}/services/Soap/u/${v}/${org15}`,
    rest: `${rest}/`,
    sobjects: `${rest}/sobjects/`,
    search: `${rest}/search/`,
    query: `${rest}/query/`,
    recent: `${rest}/recent/`,
    tooling_soap: `${instance}/services/Soap/T/${v}/${org15}`,
    tooling_rest: `${rest}/tooling/`,
    profile: `${instance}/${user.Id}`,
    feeds: `${rest}/chatter/feeds`,
    groups: `${rest}/chatter/groups`,
    users: `${rest}/chatter/users`,
    feed_items: `${rest}/chatter/feed-items`,
    feed_elements: `${rest}/chatter/feed-elements`,
    custom_domain: instance,
  };
}

const photos = (user: SalesforceUser, instance: string) => ({
  picture: `${instance}/profilephoto/005/F?u=${user.Id}`,
  thumbnail: `${instance}/profilephoto/005/T?u=${user.Id}`,
});

/** The identity URL's answer for `user`, as seen by `caller`. */
export function identityBody(
  user: SalesforceUser,
  caller: SalesforceUser,
  org: SalesforceOrg,
  login: string,
  instance: string,
  version: string | undefined,
): Record<string, unknown> {
  return {
    id: `${login}/id/${org.orgId}/${user.Id}`,
    asserted_user: user.Id === caller.Id,
    user_id: user.Id,
    organization_id: org.orgId,
    username: user.Username,
    nick_name: `${user.Alias}${user.Id.slice(-4).toLowerCase()}`,
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey,
    photos: photos(user, instance),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urlsOf(org, user, instance, version),
    active: user.IsActive,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: 'en_US',
    utcOffset: utcOffset(user.TimeZoneSidKey),
    last_modified_date: String(user.LastModifiedDate),
    is_app_installed: true,
  };
}

/** The OpenID Connect UserInfo answer for the token's user (`sub` is the identity URL). */
export function userInfoBody(
  user: SalesforceUser,
  org: SalesforceOrg,
  login: string,
  instance: string,
): Record<string, unknown> {
  return {
    sub: `${login}/id/${org.orgId}/${user.Id}`,
    user_id: user.Id,
    organization_id: org.orgId,
    preferred_username: user.Username,
    nickname: `${user.Alias}${user.Id.slice(-4).toLowerCase()}`,
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName,
    family_name: user.LastName,
    zoneinfo: user.TimeZoneSidKey,
    photos: photos(user, instance),
    profile: `${instance}/${user.Id}`,
    picture: photos(user, instance).picture,
    address: {},
    urls: urlsOf(org, user, instance, undefined),
    active: user.IsActive,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: 'en_US',
    utcOffset: utcOffset(user.TimeZoneSidKey),
    updated_at: String(user.LastModifiedDate),
  };
}
