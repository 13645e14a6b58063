import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration, MsiOptions, PlatformSpecificBuildOptions } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from '../../src-main/shell/app-identity';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  homepage?: string;
  author?: { name?: string; email?: string };
};

/** The target names of a platform's `target` setting. */
function targetNames(options: PlatformSpecificBuildOptions | null | undefined): string[] {
  const targets = options?.target;
  const list = Array.isArray(targets) ? targets : targets ? [targets] : [];
  return list.map((target) => (typeof target === 'string' ? target : target.target));
}

/** electron-builder.yml as electron-builder itself reads and validates it. */
describe('the packaging configuration', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await getConfig(root, null, null);
  });

  it("is valid by electron-builder's own schema", async () => {
    // Its debug log is off (electron-builder's DebugLogger with isEnabled false).
    const debugLog = { isEnabled: false, add: () => undefined } as unknown as Parameters<
      typeof validateConfiguration
    >[1];
    await expect(validateConfiguration(config, debugLog)).resolves.toBeUndefined();
  });

  it("sets Electron's fuses: no Node escape hatches, asar only and checked, encrypted cookies", () => {
    const fuses = config.electronFuses;
    expect(fuses?.runAsNode).toBe(false);
    expect(fuses?.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(fuses?.enableNodeCliInspectArguments).toBe(false);
    expect(fuses?.enableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(fuses?.onlyLoadAppFromAsar).toBe(true);
    expect(fuses?.enableCookieEncryption).toBe(true);
    expect(fuses?.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('never recompiles native modules: keytar ships ABI-stable N-API prebuilds', () => {
    expect(config.npmRebuild).toBe(false);
  });

  it('uses the appId the app sets as its Windows AppUserModelID', () => {
    expect(config.appId).toBe(APP_USER_MODEL_ID);
  });

  it('signs for macOS under the hardened runtime with minimal entitlements, and notarizes when credentials are given', () => {
    const mac = config.mac;
    expect(mac?.hardenedRuntime).toBe(true);
    expect(mac?.notarize).toBe(true);
    expect(mac?.entitlements).toBe(mac?.entitlementsInherit);
    const plist = readFileSync(join(root, mac?.entitlements ?? 'missing'), 'utf8');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
    expect(targetNames(mac)).toEqual(expect.arrayContaining(['dmg', 'zip', 'pkg']));
  });

  it('builds an NSIS installer and a per-machine MSI for mass deployment on Windows', () => {
    expect(targetNames(config.win)).toEqual(['nsis', 'msi']);
    const msi = config.msi as MsiOptions;
    expect(msi.perMachine).toBe(true);
    expect(msi.upgradeCode).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(config.nsis?.oneClick).toBe(false);
  });

  it('builds an AppImage and a deb that names its homepage, maintainer and libsecret', () => {
    expect(targetNames(config.linux)).toEqual(['AppImage', 'deb']);
    expect(packageJson.homepage).toMatch(/^https:\/\//);
    expect(packageJson.author?.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(config.linux?.maintainer).toMatch(/<[^@\s]+@[^@\s]+>$/);
    // Listing depends replaces electron-builder's defaults: Electron's own libraries must stay.
    expect(config.deb?.depends).toEqual(
      expect.arrayContaining(['libsecret-1-0', 'libgtk-3-0', 'libnss3', 'libnotify4']),
    );
  });

  it('writes update metadata for a generic feed', () => {
    const publish = Array.isArray(config.publish) ? config.publish : [config.publish];
    expect(publish).toEqual([expect.objectContaining({ provider: 'generic' })]);
  });
});
