import { describe, expect, it } from 'vitest';
import { createTray, trayMenuTemplate } from './tray';
import { createFakeElectron } from './test/fake-electron';

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      open: () => calls.push('open'),
      settings: () => calls.push('settings'),
      quit: () => calls.push('quit'),
      toggle: () => calls.push('toggle'),
    },
  };
}

describe('tray', () => {
  it('offers Open, Settings and Quit, each doing its job', () => {
    const { calls, actions } = recorder();
    const template = trayMenuTemplate(actions);
    expect(template.map((item) => item.label ?? item.type)).toEqual([
      'Open Workstation',
      'Settings…',
      'separator',
      'Quit Workstation',
    ]);
    for (const item of template) (item.click as (() => void) | undefined)?.();
    expect(calls).toEqual(['open', 'settings', 'quit']);
  });

  it('uses a template image on macOS and toggles on click elsewhere', () => {
    const mac = createFakeElectron();
    const macRecorder = recorder();
    createTray(mac.electron, '/app/assets/trayTemplate.png', macRecorder.actions, 'darwin');
    expect(mac.trays[0]?.image).toMatchObject({
      path: '/app/assets/trayTemplate.png',
      template: true,
    });
    mac.trays[0]?.emit('click');
    expect(macRecorder.calls).toEqual([]);

    const linux = createFakeElectron();
    const linuxRecorder = recorder();
    createTray(linux.electron, '/app/assets/tray.png', linuxRecorder.actions, 'linux');
    linux.trays[0]?.emit('click');
    expect(linuxRecorder.calls).toEqual(['toggle']);
    expect(linux.trays[0]?.menu).toMatchObject({
      template: expect.arrayContaining([expect.objectContaining({ label: 'Open Workstation' })]),
    });
  });
});
