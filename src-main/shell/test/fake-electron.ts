import { EventEmitter } from 'node:events';
import type { ElectronApi } from '../electron-api';

type Handler = (...args: unknown[]) => unknown;

/**
 * The ordered log of what the shell asked Electron, shared by every fake part of one
 * createFakeElectron() (startup order is asserted on it).
 */
let callLog: string[] = [];

/** A Session stand-in: keeps the permission handlers and the header hook. */
export class FakeSession {
  /** The default session every WebContents shares unless a test gives its own. */
  static defaultSession = new FakeSession();
  permissionRequestHandler: Handler | undefined;
  permissionCheckHandler: Handler | undefined;
  headersHook: Handler | undefined;
  policyInstalls = 0;
  readonly webRequest = { onHeadersReceived: (hook: Handler) => (this.headersHook = hook) };
  setPermissionRequestHandler(handler: Handler): void {
    this.policyInstalls += 1;
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheckHandler = handler;
  }
}

/** A WebContents stand-in that records what the shell installs on it. */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: Handler | undefined;
  destroyed = false;
  focused = false;
  constructor(readonly session: FakeSession = FakeSession.defaultSession) {
    super();
  }
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

/** A BrowserWindow stand-in with visibility and focus state. */
export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  /** The fake app of the current createFakeElectron(), told about each new WebContents. */
  static app: EventEmitter | undefined;
  readonly webContents = new FakeWebContents();
  /** Every URL the window loaded, in order. */
  readonly loads: string[] = [];
  visible = false;
  focused = false;
  position: [number, number] = [0, 0];
  visibleOnAllWorkspaces: { visible: boolean; options?: unknown } | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.visible = options.show === true;
    FakeBrowserWindow.instances.push(this);
    callLog.push('new BrowserWindow');
    // Electron announces every WebContents app-wide as it is created.
    FakeBrowserWindow.app?.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    callLog.push(`loadURL ${url}`);
    this.loads.push(url);
    return Promise.resolve();
  }
  loadFile(path: string): Promise<void> {
    callLog.push(`loadFile ${path}`);
    this.loads.push(`loadFile:${path}`);
    return Promise.resolve();
  }
  setVisibleOnAllWorkspaces(visible: boolean, options?: unknown): void {
    this.visibleOnAllWorkspaces = { visible, options };
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

/** A notification the shell showed, with its options, clickable like the real one. */
export class FakeNotification extends EventEmitter {
  static supported = true;
  static shown: FakeNotification[] = [];
  static isSupported = () => FakeNotification.supported;
  constructor(
    readonly options: {
      title: string;
      body: string;
      actions?: { type: string; text?: string }[];
      [key: string]: unknown;
    },
  ) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  close(): void {}
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
  const calls: string[] = [];
  callLog = calls;
  FakeBrowserWindow.instances = [];
  FakeSession.defaultSession = new FakeSession();
  FakeNotification.supported = options.notificationsSupported ?? true;
  FakeNotification.shown = [];
  let ready = false;
  const loginItems: { openAtLogin: boolean }[] = [];
  const switches: [string, string | undefined][] = [];
  const app = Object.assign(new EventEmitter(), {
    quitCalls: 0,
    dockHidden: false,
    isPackaged: false,
    loginItems,
    switches,
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return options.primaryInstance ?? true;
    },
    whenReady: () => {
      calls.push('whenReady');
      ready = true;
      return Promise.resolve();
    },
    isReady: () => ready,
    getVersion: () => '0.1.0-test',
    getPath: (_name: string) => '/nonexistent',
    getAppPath: (): string => '/app',
    setLoginItemSettings(settings: { openAtLogin: boolean }) {
      calls.push(`setLoginItemSettings ${settings.openAtLogin}`);
      loginItems.push(settings);
    },
    getLoginItemSettings: () => ({ openAtLogin: loginItems.at(-1)?.openAtLogin ?? false }),
    commandLine: {
      appendSwitch(name: string, value?: string) {
        if (ready) throw new Error('appendSwitch after ready has no effect');
        calls.push(`appendSwitch ${name}${value === undefined ? '' : `=${value}`}`);
        switches.push([name, value]);
      },
    },
    quit() {
      app.quitCalls += 1;
    },
    exit() {},
    dock: {
      hide() {
        calls.push('dock.hide');
        app.dockHidden = true;
      },
    },
  });
  FakeBrowserWindow.app = app;
  const registered = new Map<string, Handler>();
  const globalShortcut = {
    register: (accelerator: string, callback: Handler) => {
      calls.push(`globalShortcut.register ${accelerator}`);
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
      calls.push('new Tray');
      trays.push(this);
    }
    setToolTip(text: string): void {
      this.tooltip = text;
    }
    setContextMenu(menu: unknown): void {
      this.menu = menu;
    }
  }
  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const protocol = {
    registerSchemesAsPrivileged(custom: unknown[]) {
      // Electron ignores it after ready; fail loudly instead so the order is tested.
      if (ready) throw new Error('registerSchemesAsPrivileged after ready');
      calls.push('protocol.registerSchemesAsPrivileged');
      schemes.push(...custom);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      if (!ready) throw new Error('protocol.handle before ready');
      calls.push(`protocol.handle ${scheme}`);
      protocolHandlers.set(scheme, handler);
    },
  };
  const dialogs: unknown[] = [];
  const openedPaths: string[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const ipcHandlers = new Map<string, Handler>();
  const opened: string[] = [];
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
      showErrorBox: (title: string, content: string) => void errorBoxes.push({ title, content }),
    },
    shell: {
      openExternal: (url: string) => {
        opened.push(url);
        return Promise.resolve();
      },
      openPath: (path: string) => (
        openedPaths.push(path),
        Promise.resolve(options.openPathFailure ?? '')
      ),
    },
    protocol,
  };
  return {
    electron: fake as unknown as ElectronApi,
    /** The same object, untyped, for a stand-in `electron` module. */
    module: fake as Record<string, unknown>,
    app,
    calls,
    globalShortcut,
    trays,
    /** Title and body of each notification shown. */
    get notifications() {
      return FakeNotification.shown.map(({ options }) => ({
        title: options.title,
        body: options.body,
      }));
    },
    shownNotifications: FakeNotification.shown,
    dialogs,
    openedPaths,
    errorBoxes,
    ipcHandlers,
    schemes,
    protocolHandlers,
    opened,
    session: FakeSession.defaultSession,
  };
}
