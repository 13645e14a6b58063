import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EntityIcon } from './entity-icon';
import type { EntityIconName } from './palette-item';

const names: EntityIconName[] = ['lead', 'contact', 'account', 'opportunity', 'meeting', 'task'];

describe('entity icons', () => {
  it('are inline SVG, one drawing per entity, with no text glyph to go missing', () => {
    const drawn = names.map((name) => renderToStaticMarkup(<EntityIcon name={name} />));
    for (const svg of drawn) {
      expect(svg).toMatch(/^<svg [^>]*aria-hidden="true"/);
      expect(svg.replace(/<[^>]+>/g, '')).toBe('');
    }
    expect(new Set(drawn).size).toBe(names.length);
  });
});
