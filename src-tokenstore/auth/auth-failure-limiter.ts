import { isIPv4, isIPv6 } from 'node:net';
import { LRUCache } from 'lru-cache';

/** How many failed authentications a client address may make, and over how long. */
export interface AuthFailureLimiterOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** ms since the epoch; the store's clock. */
  readonly now: () => number;
  /** Addresses tracked at once; the least recently seen is forgotten first, so memory stays bounded. */
  readonly maxAddresses?: number;
}

interface FailureWindow {
  failures: number;
  readonly endsAt: number;
}

/**
 * Counts failed authentications per client address in fixed windows that open at an address's
 * first failure. Successes are not counted and do not reset the count (a valid token of one's own
 * would otherwise buy unlimited guesses). The store asks before it looks at a token, so an address
 * over the limit costs no verification at all.
 */
export class AuthFailureLimiter {
  readonly #windows: LRUCache<string, FailureWindow>;

  constructor(private readonly options: AuthFailureLimiterOptions) {
    // The TTL only frees memory; `endsAt`, on the store's clock, decides when a window is over.
    this.#windows = new LRUCache<string, FailureWindow>({
      max: options.maxAddresses ?? 100_000,
      ttl: options.windowMs,
      ttlAutopurge: false,
    });
  }

  /** Whole seconds until `address` may try again (the Retry-After value); 0 when it may try now. */
  retryAfterSec(address: string): number {
    const window = this.#current(clientKey(address));
    if (!window || window.failures < this.options.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.endsAt - this.options.now()) / 1000));
  }

  /** Counts a failed authentication; answers true when it used up the address's last attempt. */
  recordFailure(address: string): boolean {
    const key = clientKey(address);
    const window = this.#current(key);
    if (window) window.failures += 1;
    else
      this.#windows.set(key, { failures: 1, endsAt: this.options.now() + this.options.windowMs });
    return (window?.failures ?? 1) === this.options.maxFailures;
  }

  #current(key: string): FailureWindow | undefined {
    const window = this.#windows.get(key);
    if (window && window.endsAt <= this.options.now()) {
      this.#windows.delete(key);
      return undefined;
    }
    return window;
  }
}

/**
 * The unit a client is counted by: an IPv4 address (also when IPv4-mapped), or the /64 of an IPv6
 * address, since one subscriber usually holds a whole /64 and could otherwise rotate addresses.
 */
export function clientKey(address: string): string {
  const bare = address.split('%')[0] ?? address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(bare) || !isIPv6(bare)) return bare;
  const [head = '', tail] = bare.split('::');
  const groupsOf = (part: string) =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : [];
  const before = groupsOf(head);
  const after = tail === undefined ? [] : groupsOf(tail);
  const groups =
    tail === undefined
      ? before
      : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
