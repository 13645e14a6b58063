import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID, applyAppUserModelId } from './app-identity';

describe('the app identity on Windows', () => {
  const recorder = () => {
    const ids: string[] = [];
    return { ids, app: { setAppUserModelId: (id: string) => void ids.push(id) } };
  };

  it('sets the AppUserModelID the installers give the shortcut', () => {
    const { ids, app } = recorder();
    applyAppUserModelId(app, 'win32');
    expect(ids).toEqual([APP_USER_MODEL_ID]);
  });

  it('leaves macOS and Linux alone (Windows only)', () => {
    const { ids, app } = recorder();
    applyAppUserModelId(app, 'darwin');
    applyAppUserModelId(app, 'linux');
    expect(ids).toEqual([]);
  });
});
