/**
 * The renderer's Content-Security-Policy: only our own scripts and styles, no inline code, no
 * frames, no plugins. The same policy is set by the Electron shell and by the web host.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
