import { describe, expect, it } from 'vitest';
import type { SafeHtml } from './html';
import { escapeHtml, html } from './html';

describe('the console template tag', () => {
  it('escapes every character that could open markup or leave a quoted attribute', () => {
    expect(escapeHtml(`<script>alert("x" + 'y' + \`z\`)</script> & co`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39; + &#96;z&#96;)&lt;/script&gt; &amp; co',
    );
  });

  it('escapes interpolated text in content and attributes, and keeps nested templates as markup', () => {
    const name = `Seán "<b>O'Brien</b>"`;
    const cell = html`<td title="${name}">${name}</td>`;
    expect(cell.value).toBe(
      '<td title="Seán &quot;&lt;b&gt;O&#39;Brien&lt;/b&gt;&quot;">Seán &quot;&lt;b&gt;O&#39;Brien&lt;/b&gt;&quot;</td>',
    );
    // prettier-ignore
    expect(html`<tr>${cell}</tr>`.value).toBe(`<tr>${cell.value}</tr>`);
  });

  it('renders arrays item by item and nothing for null, undefined and false, but 0 as 0', () => {
    const rows = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
    // prettier-ignore
    expect(html`<ul>${rows}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  });

  it('escapes a string that only looks like SafeHtml', () => {
    const forged = { value: '<img src=x>' } as unknown as SafeHtml;
    expect(html`${forged}`.value).toBe('[object Object]');
    expect(html`${'<img src=x>'}`.value).toBe('&lt;img src=x&gt;');
  });
});
