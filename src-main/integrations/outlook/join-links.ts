/** Online meeting services the Join button knows. */
export type MeetingProvider = 'teams' | 'zoom' | 'webex' | 'gong';

/** A joinable meeting link found in an event. */
export interface JoinLink {
  readonly url: string;
  readonly provider: MeetingProvider;
}

// Hosts are tested on `URL.hostname`, which the URL parser lowercases; paths are matched
// case-insensitively but kept as written in the link.
const patterns: readonly { provider: MeetingProvider; test: (url: URL) => boolean }[] = [
  {
    provider: 'teams',
    test: (url) =>
      /(^|\.)teams\.(microsoft|live)\.com$/.test(url.hostname) &&
      /^\/(l\/meetup-join\/|meet\/)/i.test(url.pathname),
  },
  // zoom.com is Zoom's own domain besides zoom.us; zoomgov.com serves Zoom for Government.
  {
    provider: 'zoom',
    test: (url) =>
      /(^|\.)zoom(gov)?\.us$|(^|\.)zoom(gov)?\.com$/.test(url.hostname) &&
      /^\/(j|w|my|s)\//i.test(url.pathname),
  },
  {
    provider: 'webex',
    test: (url) =>
      /(^|\.)webex\.com$/.test(url.hostname) &&
      /^\/(meet|join|[\w-]+\/j\.php|wbxmjs\/joinservice|[\w-]+\/url\.php)/i.test(url.pathname),
  },
  {
    provider: 'gong',
    test: (url) =>
      /(^|\.)gong\.io$/.test(url.hostname) && /^\/(call|e|j|join|meeting)/i.test(url.pathname),
  },
];

/** An https URL where a link can start: at the start of a chunk of text or right after a quote, `<`, `>`, `(` or `[`. */
const linkStart = /(?<=^|["'<>([])https:\/\/[^\s"'<>]+/gi;
/** Schemes whose links carry script or content of their own, with any https URL in them only as data. */
const scriptingScheme = /\b(?:javascript|vbscript|data):/i;

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x3D;': '=',
  '&#61;': '=',
};

/** Outlook Safe Links wrap the real URL in `?url=`; unwrap (nested wrapping too). */
export function unwrapSafeLink(raw: string): string {
  let current = raw;
  for (let depth = 0; depth < 3; depth += 1) {
    let url: URL;
    try {
      url = new URL(current);
    } catch {
      return current;
    }
    if (!/\.safelinks\.protection\.outlook\.com$/.test(url.hostname)) return current;
    const inner = url.searchParams.get('url');
    if (!inner) return current;
    current = inner;
  }
  return current;
}

/** What a provider link is, after Safe Links and trailing punctuation are peeled off. */
export function classifyLink(raw: string): JoinLink | undefined {
  const cleaned = unwrapSafeLink(raw.replace(/^[<("']+/, '').replace(/[>)"'.,;:!?\]]+$/, ''));
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  const match = patterns.find((pattern) => pattern.test(url));
  return match ? { url: url.toString(), provider: match.provider } : undefined;
}

/**
 * The first joinable link in free text (an event's location or HTML body): HTML entities decoded,
 * `<…>` wrappers and trailing punctuation stripped, Safe Links unwrapped. Modelled on the link
 * formats MeetingBar recognises (Teams /l/meetup-join/ and /meet/, Zoom /j/ /w/ /my/, zoomgov,
 * Webex, Gong). Only a link that is itself https counts: an https URL inside another link
 * (`javascript:…//https://zoom.us/j/1`, `data:…,https://…`, `http://…?next=https://…`) is part of
 * that link. So a URL counts only where a link can start (which also leaves out `label:https://…`
 * written without a space), and not after a `javascript:`, `vbscript:` or `data:` link in the
 * same run of text (`data:…<script>location='https://…'`).
 */
export function findJoinLink(text: string | undefined | null): JoinLink | undefined {
  if (!text) return undefined;
  const decoded = text.replace(
    /&(amp|lt|gt|quot|#39|#x3D|#61);/g,
    (entity) => entities[entity] ?? entity,
  );
  for (const chunk of decoded.split(/\s+/)) {
    for (const match of chunk.matchAll(linkStart)) {
      if (scriptingScheme.test(chunk.slice(0, match.index))) break;
      const link = classifyLink(match[0]);
      if (link) return link;
    }
  }
  return undefined;
}
