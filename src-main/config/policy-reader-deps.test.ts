import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodePolicyReaderDeps as os } from './policy-reader-deps';

describe('the real OS as the policy readers see it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-policy-os-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, and answers undefined where there is none', async () => {
    writeFileSync(join(dir, 'policy.json'), '{"logLevel":"warn"}');
    await expect(os.readText(join(dir, 'policy.json'))).resolves.toBe('{"logLevel":"warn"}');
    await expect(os.readText(join(dir, 'absent.json'))).resolves.toBeUndefined();
    await expect(os.exists(join(dir, 'policy.json'))).resolves.toBe(true);
    await expect(os.exists(join(dir, 'absent.json'))).resolves.toBe(false);
    // A folder where the file should be is an error to report, not an absent policy.
    await expect(os.readText(dir)).rejects.toThrow(/EISDIR/);
  });

  it("answers a program's exit code and output, and -1 when it cannot run", async () => {
    const script = 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)';
    await expect(os.run(process.execPath, ['-e', script])).resolves.toEqual({
      code: 3,
      stdout: 'out',
      stderr: 'err',
    });
    const missing = await os.run(join(dir, 'no-such-program'), []);
    expect(missing.code).toBe(-1);
    expect(missing.stderr).toContain('ENOENT');
  });
});
