// @ts-check
/**
 * The floors of Workstation, top to bottom: a folder imports its own floor and the floors below it,
 * never above (ARCHITECTURE.md explains each). `src-shared` is the ground every process stands on.
 */
export const mainFloors = [
  ['shell', 'web-host'],
  ['app'],
  ['ipc'],
  ['search', 'settings', 'links', 'accounts', 'reminders'],
  ['integrations'],
  ['auth'],
  ['secrets'],
  ['config', 'logging'],
];

const everyProcess = ['main', 'sandbox', 'tokenstore', 'dev-tls', 'node-shared', 'shared'];

/** @type {import('./code-layering.js').Zone[]} */
export const zones = [
  { name: 'shared', path: 'src-shared', allow: [] },
  { name: 'renderer', path: 'src-renderer', allow: ['shared'] },
  { name: 'dev-tls', path: 'src-dev-tls', allow: ['shared'] },
  // Node-only code the Node processes share (the masked logger, the trusting HTTPS agent,
  // how to start a project CLI, the process tree).
  { name: 'node-shared', path: 'src-node-shared', allow: ['shared'] },
  // The token store and the sandbox share only src-shared (and the development CA); the store's
  // tests may use the sandbox as their identity provider.
  {
    name: 'tokenstore',
    path: 'src-tokenstore',
    allow: ['shared', 'dev-tls', 'node-shared'],
    testAllow: ['sandbox'],
  },
  { name: 'sandbox', path: 'src-sandbox', allow: ['shared', 'dev-tls', 'node-shared'] },
  { name: 'preload', path: 'src-main/preload', allow: ['shared'] },
  ...mainFloors.flatMap((floor, index) =>
    floor.map((folder) => ({
      name: `main/${folder}`,
      path: `src-main/${folder}`,
      allow: [
        'shared',
        'node-shared',
        ...mainFloors
          .slice(index)
          .flat()
          .map((below) => `main/${below}`),
      ],
      // Tests compose real parts like a composition root (the contract-checking EventHub, say) and
      // run against the sandbox, the Microsoft cloud's stand-in.
      testAllow: [
        'sandbox',
        'dev-tls',
        'tokenstore',
        ...mainFloors.flat().map((any) => `main/${any}`),
      ],
    })),
  ),
  // Anything in src-main outside the named floors (the layering test itself).
  { name: 'main', path: 'src-main', allow: ['shared'], testAllow: ['sandbox'] },
  {
    name: 'e2e',
    path: 'e2e',
    allow: everyProcess.concat(mainFloors.flat().map((folder) => `main/${folder}`)),
  },
  {
    name: 'bench',
    path: 'bench',
    allow: everyProcess.concat(mainFloors.flat().map((folder) => `main/${folder}`)),
  },
];
