const BLOCKS = new Set(['p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table']);
const HIDDEN = new Set(['head', 'style', 'script', 'title']);
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return NAMED[name.toLowerCase()] ?? entity;
  });

/**
 * An HTML body as Exchange answers it under `Prefer: outlook.body-content-type="text"`: tags gone,
 * entities decoded, block ends as CRLF, and a link whose text differs from its target kept as
 * `text<url>` (the form Teams invitations show in text bodies), so links in bodies survive.
 */
export function htmlToText(html: string): string {
  let out = '';
  let hidden = 0;
  const links: { href: string; start: number }[] = [];
  const tag = /<(\/?)([A-Za-z][A-Za-z0-9]*)\b([^>]*)>/g;
  let last = 0;
  const text = (segment: string) => {
    if (hidden === 0) out += decode(segment.replace(/\s+/g, ' '));
  };
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    text(html.slice(last, match.index));
    last = tag.lastIndex;
    const closing = match[1] === '/';
    const name = (match[2] ?? '').toLowerCase();
    if (HIDDEN.has(name)) hidden = Math.max(0, hidden + (closing ? -1 : 1));
    else if (name === 'br') out += '\r\n';
    else if (BLOCKS.has(name) && closing) out += '\r\n';
    else if (name === 'a' && !closing)
      links.push({
        href: decode(/\bhref\s*=\s*(["'])(.*?)\1/i.exec(match[3] ?? '')?.[2] ?? ''),
        start: out.length,
      });
    else if (name === 'a' && closing) {
      const link = links.pop();
      if (link?.href && out.slice(link.start).trim() !== link.href) out += `<${link.href}>`;
    }
  }
  text(html.slice(last));
  return out
    .split('\r\n')
    .map((line) => line.trim())
    .join('\r\n')
    .replace(/(\r\n){3,}/g, '\r\n\r\n')
    .trim();
}
