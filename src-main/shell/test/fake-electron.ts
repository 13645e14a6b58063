import { EventEmitter } from 'node:events';
import type { ElectronApi } from '../electron-api';

type Handler = (...args: unknown[]) => unknown;

/** A WebContents stand-in that records what the shell installs on it. */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: Handler | undefined;
  destroyed = false;
  focused = false;
  readonly session = new FakeSession();
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  focus(): void {
    this.focused = true;
  }
  /** Emits a cancellable event the way Electron does and answers whether it was prevented. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

/** A Session stand-in: keeps the permission handlers and the header hook. */
export class FakeSession {
  permissionRequestHandler: Handler | undefined;
  permissionCheckHandler: Handler | undefined;
  headersHook: Handler | undefined;
  readonly webRequest = { onHeadersReceived: (hook: Handler) => (this.headersHook = hook) };
  setPermissionRequestHandler(handler: Handler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheckHandler = handler;
  }
}

/** A BrowserWindow stand-in with visibility and focus state. */
export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loads: { path: string; options?: { hash?: string } }[] = [];
  visible = false;
  focused = false;
  position: [number, number] = [0, 0];
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.visible = options.show === true;
    FakeBrowserWindow.instances.push(this);
  }
  loadFile(path: string, options?: { hash?: string }): Promise<void> {
    this.loads.push({ path, options });
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.focused = true;
  }
  getSize(): number[] {
    return [this.options.width as number, this.options.height as number];
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  /** The user clicks another app. */
  blur(): void {
    this.focused = false;
    this.emit('blur');
  }
}

/** Everything the shell touches, as plain recorders. */
export function createFakeElectron(
  options: {
    shortcutFree?: boolean;
    primaryInstance?: boolean;
    notificationsSupported?: boolean;
    /** The button the user clicks in a message box (its index). */
    dialogResponse?: number;
    /** What shell.openPath answers: '' when it opened, else the error message. */
    openPathFailure?: string;
  } = {},
) {
  FakeBrowserWindow.instances = [];
  const app = Object.assign(new EventEmitter(), {
    quitCalls: 0,
    dockHidden: false,
    isPackaged: false,
    requestSingleInstanceLock: () => options.primaryInstance ?? true,
    whenReady: () => Promise.resolve(),
    getVersion: () => '0.1.0-test',
    getPath: (_name: string) => '/nonexistent',
    getAppPath: () => '/app',
    quit() {
      app.quitCalls += 1;
    },
    exit() {},
    dock: {
      hide() {
        app.dockHidden = true;
      },
    },
  });
  const registered = new Map<string, Handler>();
  const globalShortcut = {
    register: (accelerator: string, callback: Handler) => {
      if (options.shortcutFree === false) return false;
      registered.set(accelerator, callback);
      return true;
    },
    isRegistered: (accelerator: string) => registered.has(accelerator),
    unregister: (accelerator: string) => registered.delete(accelerator),
    registered,
  };
  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    tooltip = '';
    menu: unknown;
    constructor(readonly image: unknown) {
      super();
      trays.push(this);
    }
    setToolTip(text: string): void {
      this.tooltip = text;
    }
    setContextMenu(menu: unknown): void {
      this.menu = menu;
    }
  }
  const notifications: { title: string; body: string }[] = [];
  class FakeNotification {
    static isSupported = () => options.notificationsSupported ?? true;
    constructor(private readonly content: { title: string; body: string }) {}
    show(): void {
      notifications.push(this.content);
    }
  }
  const dialogs: unknown[] = [];
  const openedPaths: string[] = [];
  const ipcHandlers = new Map<string, Handler>();
  const fake = {
    app,
    BrowserWindow: FakeBrowserWindow,
    globalShortcut,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
    nativeImage: {
      createFromPath: (path: string) => ({
        path,
        template: false,
        setTemplateImage(this: { template: boolean }, on: boolean) {
          this.template = on;
        },
      }),
    },
    ipcMain: {
      handle: (channel: string, handler: Handler) => {
        if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    screen: {
      getCursorScreenPoint: () => ({ x: 2000, y: 100 }),
      getDisplayNearestPoint: () => ({ workArea: { x: 1920, y: 0, width: 1920, height: 1080 } }),
    },
    Notification: FakeNotification,
    dialog: {
      showMessageBox: (box: unknown) => (
        dialogs.push(box),
        Promise.resolve({ response: options.dialogResponse ?? 0 })
      ),
      showErrorBox: () => undefined,
    },
    shell: {
      openExternal: () => Promise.resolve(),
      openPath: (path: string) => (
        openedPaths.push(path),
        Promise.resolve(options.openPathFailure ?? '')
      ),
    },
  };
  return {
    electron: fake as unknown as ElectronApi,
    app,
    globalShortcut,
    trays,
    notifications,
    dialogs,
    openedPaths,
    ipcHandlers,
  };
}
