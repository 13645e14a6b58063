import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
// The project's own eslint.config.js: this proves the rule is wired, not only that it works.
const eslint = new ESLint({ cwd: root });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'local/code-layering')
    .map((message) => message.message);
}

describe('local/code-layering on the project config', () => {
  it('fires when a lower floor of main imports a higher one', async () => {
    const errors = await layeringErrors(
      'src-main/secrets/fixture.ts',
      "import { SearchService } from '../search/search-service';\nexport const x = SearchService;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("'main/secrets' must not import 'main/search'");
  });

  it('lets a floor import the floors below it', async () => {
    expect(
      await layeringErrors(
        'src-main/search/fixture.ts',
        "import { rankScore } from '../integrations/ranking';\nexport const x = rankScore;\n",
      ),
    ).toEqual([]);
  });

  it('sees re-exports, dynamic imports and require', async () => {
    const code = [
      "export { IntegrationConnections } from '../auth/integration-connections';",
      "export * from '../app/create-app-services';",
      "export const later = () => import('../ipc/dispatcher');",
      "export const old = require('../web-host/cli');",
    ].join('\n');
    expect(await layeringErrors('src-main/secrets/fixture.ts', code)).toHaveLength(4);
  });

  it('keeps the token store and the sandbox apart, but lets store tests use the sandbox as IdP', async () => {
    const code =
      "import { startSandbox } from '../src-sandbox/start-sandbox';\nexport const x = startSandbox;\n";
    expect(await layeringErrors('src-tokenstore/fixture.ts', code)).toHaveLength(1);
    expect(
      await layeringErrors('src-tokenstore/test/fixture.test.ts', code.replace('../', '../../')),
    ).toEqual([]);
    expect(
      await layeringErrors(
        'src-sandbox/fixture.ts',
        "import { startTokenStore } from '../src-tokenstore/start-token-store';\nexport const x = startTokenStore;\n",
      ),
    ).toHaveLength(1);
  });

  it('keeps the renderer and src-shared out of main', async () => {
    expect(
      await layeringErrors(
        'src-renderer/src/fixture.ts',
        "import { EventHub } from '../../src-main/ipc/event-hub';\nexport const x = EventHub;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layeringErrors(
        'src-shared/fixture.ts',
        "import { EventHub } from '../src-main/ipc/event-hub';\nexport const x = EventHub;\n",
      ),
    ).toHaveLength(1);
  });
});
