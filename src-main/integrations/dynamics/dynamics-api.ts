import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { isWorkstationError, workstationError } from '../../../src-shared/errors';
import { containsLiteral } from './odata-literal';
import type { SearchEntity } from './dynamics-entities';

const searchHitSchema = z.object({
  Id: z.string(),
  EntityName: z.string(),
  Attributes: z.record(z.string(), z.unknown()),
  Score: z.number().optional(),
});
const searchBodySchema = z.object({ Value: z.array(searchHitSchema) });
/** A Dataverse search hit. */
export type SearchHit = z.infer<typeof searchHitSchema>;

/** Thrown when the org has Dataverse search switched off (400 0x80048d0b, https://learn.microsoft.com/power-apps/developer/data-platform/search/overview). */
export class SearchDisabled extends Error {
  constructor() {
    super('Dataverse search is disabled for this organization');
    this.name = 'SearchDisabled';
  }
}

/** The Dataverse HTTP calls the Dynamics provider makes; nothing else. */
export class DynamicsApi {
  constructor(private readonly http: AxiosInstance) {}

  /** One relevance query across the four tables; the answer is a JSON string in `response` (https://learn.microsoft.com/power-apps/developer/data-platform/search/query). */
  async search(
    text: string,
    entities: readonly SearchEntity[],
    top: number,
    signal: AbortSignal,
  ): Promise<SearchHit[]> {
    const body = {
      search: text,
      top,
      entities: JSON.stringify(
        entities.map((entity) => ({
          Name: entity.logicalName,
          SelectColumns: entity.select,
          SearchColumns: entity.nameColumns,
        })),
      ),
    };
    try {
      const response = await this.http.post('/api/search/v2.0/query', body, {
        signal,
        validateStatus: (status) => status < 400 || status === 400,
      });
      const data = response.data as { response?: unknown; error?: { code?: string } };
      if (response.status === 400) {
        if (data.error?.code === '0x80048d0b') throw new SearchDisabled();
        throw workstationError('upstream_failed', 'Dynamics 365 refused the search.');
      }
      const inner: unknown = typeof data.response === 'string' ? JSON.parse(data.response) : data;
      return searchBodySchema.parse(inner).Value;
    } catch (error) {
      if (error instanceof SearchDisabled || isWorkstationError(error)) throw error;
      throw workstationError(
        'upstream_failed',
        'Dynamics 365 answered the search in an unexpected format.',
        {},
        error,
      );
    }
  }

  /** WhoAmI: the cheapest authenticated call, used as the health probe. */
  async whoAmI(signal: AbortSignal): Promise<string> {
    return z
      .object({ UserId: z.string() })
      .parse((await this.http.get('/api/data/v9.2/WhoAmI', { signal })).data).UserId;
  }

  /** The fallback: one table, `contains` on its name columns, only the shown columns, at most `top` rows. */
  async searchTable(
    entity: SearchEntity,
    text: string,
    top: number,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>[]> {
    const literal = containsLiteral(text);
    const params = new URLSearchParams({
      $select: entity.select.join(','),
      $filter: entity.nameColumns.map((column) => `contains(${column},${literal})`).join(' or '),
      $top: String(top),
    });
    const response = await this.http.get(`/api/data/v9.2/${entity.setName}?${params.toString()}`, {
      signal,
      headers: { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
    });
    return z.object({ value: z.array(z.record(z.string(), z.unknown())) }).parse(response.data)
      .value;
  }
}
