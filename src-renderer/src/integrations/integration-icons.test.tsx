import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { integrationCatalog } from '../../../src-shared/integrations/catalog';
import { IntegrationIcon } from './integration-icons';

const icon = (id: string) => renderToStaticMarkup(<IntegrationIcon id={id} />);

describe('integration icons', () => {
  it('draws an icon of its own for every integration in the catalog', () => {
    for (const { id } of integrationCatalog) expect(icon(id)).toContain(`data-icon="${id}"`);
    expect(new Set(integrationCatalog.map(({ id }) => icon(id))).size).toBe(
      integrationCatalog.length,
    );
  });

  it('falls back to the generic icon for an id it does not know, prototype names included', () => {
    for (const id of ['teams', 'constructor', 'toString', ''])
      expect(icon(id)).toContain('data-icon="generic"');
  });

  it('is decorative: hidden from assistive technology, no text', () => {
    const markup = icon('salesforce');
    expect(markup).toMatch(/^<svg[^>]* aria-hidden="true"/);
    expect(markup.replace(/<[^>]*>/g, '')).toBe('');
  });
});

// Every renderer source file but the icons, as text, to check that none of them names an integration.
const sources = import.meta.glob(
  [
    '../**/*.ts',
    '../**/*.tsx',
    '!../**/*.test.ts',
    '!../**/*.test.tsx',
    '!./integration-icons.tsx',
  ],
  { query: '?raw', import: 'default', eager: true },
) as Record<string, string>;

describe('the renderer is driven by the data', () => {
  it('names no integration id outside the icon file', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20); // the glob really read the renderer
    const named = Object.entries(sources).flatMap(([file, text]) =>
      integrationCatalog
        .filter(({ id }) => new RegExp(`['"\`]${id}['"\`:]|/integrations/${id}['"]`).test(text))
        .map(({ id }) => `${file}: ${id}`),
    );
    expect(named).toEqual([]);
  });
});
