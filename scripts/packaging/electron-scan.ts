import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative } from 'node:path';
import run, {
  type ElectronegativityIssue,
  type ElectronegativityResult,
} from '@doyensec/electronegativity/dist/runner.js';
import { transform } from 'esbuild';

/**
 * Copies the packaged app's own files (not node_modules) to `scanDir` in a form Electronegativity
 * 1.10 reads, without changing what it looks for:
 * - it scans only .js/.jsx/.ts/.tsx/.html files (its util/file.js), so main.cjs and preload.cjs
 *   are written as .js;
 * - its parser (Babel's estree output walked by estraverse) stops at ES2022 class fields
 *   ("Unknown node type ClassPrivateProperty") and leaves the whole file unscanned, so JavaScript
 *   is lowered to ES2017 syntax by esbuild. Calls, option objects and string literals, which its
 *   checks match, come through unchanged.
 */
export async function prepareScanTree(appDir: string, scanDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const entry of await readdir(appDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const path = relative(appDir, source);
    if (path.split(/[\\/]/).includes('node_modules')) continue;
    const extension = extname(path);
    if (['.js', '.cjs', '.mjs'].includes(extension)) {
      const target = join(scanDir, path.slice(0, -extension.length) + '.js');
      const lowered = await transform(await readFile(source, 'utf8'), {
        loader: 'js',
        target: 'es2017',
        // Keep the bundle's line structure readable in findings.
        minify: false,
      });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, lowered.code);
      written.push(relative(scanDir, target));
    } else if (['.html', '.json'].includes(extension)) {
      await mkdir(dirname(join(scanDir, path)), { recursive: true });
      await copyFile(source, join(scanDir, path));
      written.push(path);
    }
  }
  return written.sort();
}

/**
 * Checks left out of the scan, each for a reason (class names as Electronegativity lists them).
 */
export const skippedChecks: Record<string, string> = {
  // Downloads Electron's release list from GitHub to tell whether a newer 45.x has security
  // fixes; it cannot run offline. Electron's version is pinned in package-lock.json and raised
  // deliberately.
  AvailableSecurityFixesGlobalCheck: 'needs the network',
};

/** A finding a person has reviewed: where it is, and why it is not a flaw. */
export interface ReviewedFinding {
  readonly id: string;
  readonly file: RegExp;
  readonly description: RegExp;
  readonly why: string;
}

/**
 * Findings that ask for a manual review ("Review the use of ...") and have had it. The scan test
 * fails on any finding not listed here, and on any entry here that no longer matches a finding,
 * so this list cannot hide a new one or go stale.
 */
export const reviewedFindings: ReviewedFinding[] = [
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: /^dist\/main\/main\.js$/,
    description: /openExternal/,
    why:
      "main's one shell.openExternal (start-shell.ts, openBrowser) receives only links that passed " +
      'the link guard (src-main/links/link-guard.ts, hosts of the live connections) and sign-in ' +
      'URLs of the configured authorities, built by MSAL Node or the OAuth PKCE strategy.',
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: /^dist\/renderer\/index\.html$/,
    description: /seems to be vulnerable/,
    why:
      "Google's CSP Evaluator's only remark on the policy is a maybe: script-src 'self' is risky " +
      'where the origin also serves JSONP, Angular templates or user uploads. The renderer origin ' +
      'serves only the built renderer.',
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    file: /^dist\/main\/main\.js$/,
    description: /Failed to parse CSP/,
    why:
      'main sets the same policy as a response header from RENDERER_CSP ' +
      '(src-main/web-host/content-security-policy.ts), an array joined at run time that a static ' +
      "check cannot read; the identical policy in index.html's meta tag is evaluated above.",
  },
];

/** Runs Electronegativity (the function its CLI calls) over `dir`, skipping `skippedChecks`. */
export async function scanWithElectronegativity(
  dir: string,
  electronVersion: string,
): Promise<ElectronegativityResult> {
  return run({
    input: dir,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: Object.keys(skippedChecks).map((name) => name.toLowerCase()),
    customScan: [],
    parserPlugins: [],
  });
}

/** Whether a finding is one of the reviewed ones. */
export function reviewedAs(issue: ElectronegativityIssue): ReviewedFinding | undefined {
  return reviewedFindings.find(
    (reviewed) =>
      reviewed.id === issue.id &&
      reviewed.file.test(issue.file.replace(/\\/g, '/')) &&
      reviewed.description.test(issue.description),
  );
}
