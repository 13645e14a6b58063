import type { ServiceName } from './fault-controller';

/** Counts of upstream requests, so tests and benches can assert how many a feature made. */
export interface RequestCounts {
  readonly total: number;
  readonly byService: Record<string, number>;
  readonly byUser: Record<string, number>;
  readonly byPath: Record<string, number>;
  /** `<service> <status>` → count, e.g. `search 429`. */
  readonly byStatus: Record<string, number>;
  /**
   * `<service> <limit>` → how many requests a documented limit turned away with 429, e.g.
   * `search per-user`, `search per-org`, `dataverse requests`, `dataverse concurrent`.
   */
  readonly limits: Record<string, number>;
}

interface CountedRequest {
  readonly service: string;
  readonly user: string;
  readonly path: string;
  readonly status: number;
}

/** Records every request each stand-in answers. */
export class RequestCounter {
  #entries: CountedRequest[] = [];
  #limits: Record<string, number> = {};

  /** `service` is a service name, or `<service>:<label>` for a second instance of one (a second Dataverse org). */
  record(
    service: ServiceName | `${ServiceName}:${string}`,
    user: string | undefined,
    path: string,
    status: number,
  ): void {
    this.#entries.push({ service, user: user ?? 'anonymous', path, status });
  }

  /** One request turned away by a limit (its 429 is also recorded as a request). */
  recordLimit(service: ServiceName | `${ServiceName}:${string}`, limit: string): void {
    const key = `${service} ${limit}`;
    this.#limits[key] = (this.#limits[key] ?? 0) + 1;
  }

  snapshot(): RequestCounts {
    const tally = (key: (entry: CountedRequest) => string) => {
      const out: Record<string, number> = {};
      for (const entry of this.#entries) out[key(entry)] = (out[key(entry)] ?? 0) + 1;
      return out;
    };
    return {
      total: this.#entries.length,
      byService: tally((entry) => entry.service),
      byUser: tally((entry) => `${entry.service} ${entry.user}`),
      byPath: tally((entry) => `${entry.service} ${entry.path}`),
      byStatus: tally((entry) => `${entry.service} ${entry.status}`),
      limits: { ...this.#limits },
    };
  }

  reset(): void {
    this.#entries = [];
    this.#limits = {};
  }
}
