import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Screenshots are kept as test artefacts under artifacts/e2e (ignored by git, kept by CI logs). */
export function artifactPath(name: string): string {
  const dir = fileURLToPath(new URL('../../artifacts/e2e/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
