import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The project's private design notes live outside the repository: a future maintainer cannot follow
 * a reference to them. Code, tests, scripts and docs cite public documentation (Microsoft Learn,
 * Salesforce, RFCs, Electron, Fastify) or a file in the repository instead. The names are written
 * in lower case and upper-cased here, so that this file does not name them itself.
 */
const privateNotes = [
  'wire',
  'wire-salesforce',
  'wire-directory',
  'design',
  'style',
  'anchors',
].map((name) => name.toUpperCase());
/** Names that mean nothing else, so they count even without `.md`. */
const unmistakable = privateNotes.filter((name) => name.includes('-'));
const sharedFolder = ['', 'work', 'shared'].join('/');

const privateReference = new RegExp(
  `(?<![\\w-])(?:(?:${privateNotes.join('|')})\\.md\\b|(?:${unmistakable.join('|')})(?![\\w-]))|${sharedFolder}\\b`,
  'g',
);

/** Folders that hold build output or dependencies, never our text (used only without git). */
const notOurs = new Set(['.git', 'node_modules', 'dist', 'out', 'artifacts']);

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (notOurs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield relative(root, path).split('\\').join('/');
  }
}

/** The repository's files: tracked plus new ones not ignored; a plain walk when git is absent. */
function repositoryFiles(): string[] {
  try {
    const listed = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { cwd: root, encoding: 'utf8' },
    );
    return listed.split('\0').filter((path) => path !== '' && existsSync(join(root, path)));
  } catch {
    return [...walk(root)];
  }
}

/** `path:line: reference` for every private reference in the text files among `paths`. */
function findReferences(base: string, paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const path of paths) {
    const bytes = readFileSync(join(base, path));
    if (bytes.includes(0)) continue; // binary (icons)
    bytes
      .toString('utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const match of line.matchAll(privateReference))
          found.push(`${path}:${index + 1}: ${match[0]}`);
      });
  }
  return found;
}

describe('references to the private design notes', () => {
  it('appear in no source, test, script or doc file of the repository', () => {
    const files = repositoryFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'eslint.config.js',
        'eslint-rules/private-docs.test.ts',
      ]),
    );
    expect(findReferences(root, files)).toEqual([]);
  });

  it('are found in the forms they were cited in, and nothing else is', () => {
    const [wire, wireSalesforce, , design, style, anchors] = privateNotes;
    const dir = mkdtempSync(join(tmpdir(), 'private-docs-'));
    try {
      writeFileSync(
        join(dir, 'cited.ts'),
        [
          `// With odata.maxpagesize, $top is ignored (${wire}.md 0.8).`,
          ` * The envelope every encrypted blob travels in (${design}.md section 5):`,
          `const message = 'This layer must not use Node built-ins (see ${style}.md, Imports).';`,
          `# what users complain about (${anchors}.md); the OAuth flow (${wireSalesforce} 2.1)`,
          `// read ${sharedFolder}/notes.txt`,
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'clean.ts'),
        [
          '// See README.md, ARCHITECTURE.md and https://learn.microsoft.com/graph/api/resources/event.',
          `const css = '.results { list-style: none; }'; // WIRE protocol, DESIGNER.md, OLD-${style}.md, my-style.md`,
          "import { x } from '../src-shared/contract';",
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'icon.png'),
        Buffer.from([0x89, 0x50, 0x00, ...Buffer.from(`${wire}.md`)]),
      );
      expect(findReferences(dir, ['cited.ts', 'clean.ts', 'icon.png'])).toEqual([
        `cited.ts:1: ${wire}.md`,
        `cited.ts:2: ${design}.md`,
        `cited.ts:3: ${style}.md`,
        `cited.ts:4: ${anchors}.md`,
        `cited.ts:4: ${wireSalesforce}`,
        `cited.ts:5: ${sharedFolder}`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
