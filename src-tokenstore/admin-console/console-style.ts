/**
 * The console's one stylesheet, served from /admin/console.css: the CSP allows styles from the
 * store's own origin only (no inline styles, no script at all).
 */
export const CONSOLE_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
body { margin: 0; }
.bar { display: flex; gap: 1.5rem; align-items: center; padding: 0.5rem 1.5rem; border-bottom: 1px solid #8884; }
.brand { font-weight: 600; }
.bar nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
.bar a[aria-current="page"] { font-weight: 600; text-decoration: none; }
.who { margin-left: auto; display: flex; gap: 0.75rem; align-items: center; }
main { padding: 1rem 1.5rem 3rem; max-width: 72rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #8883; vertical-align: top; }
fieldset { border: 1px solid #8885; margin: 0 0 1rem; padding: 0.5rem 1rem 1rem; }
label { display: inline-block; margin: 0.25rem 0.75rem 0.25rem 0; }
input[type="text"], input[type="search"], input[type="url"], input[type="number"], input[type="datetime-local"], select { padding: 0.25rem; }
button { padding: 0.3rem 0.8rem; }
.notice { padding: 0.5rem 0.75rem; border-radius: 4px; }
.notice.ok { background: #1a7f3722; }
.notice.error { background: #cf222e22; }
.issues li, .error-text { color: #cf222e; }
.status-active { color: #1a7f37; }
.status-inactive { color: #9a6700; }
.muted { opacity: 0.75; }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin-bottom: 1rem; }
.counts { display: flex; gap: 2rem; }
.counts div { font-size: 1.1rem; }
`;
