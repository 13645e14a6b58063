/**
 * Public pages the app links to for fixing a problem on the user's own computer; main's link guard
 * opens these besides the connections' hosts.
 */

/** A Secret Service (GNOME Keyring) started with the session: https://wiki.archlinux.org/title/GNOME/Keyring */
export const KEYCHAIN_FIX_URL = 'https://wiki.archlinux.org/title/GNOME/Keyring';

/** The hosts of the help pages. */
export const helpLinkHosts: readonly string[] = [new URL(KEYCHAIN_FIX_URL).host];
