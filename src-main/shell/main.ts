import * as electron from 'electron';
import { startShell } from './start-shell';
import { shellPaths } from './shell-paths';

// Bundled to dist/main/main.cjs; the app root is what Electron reports (the project dir in
// development, the asar archive when packaged).
startShell(electron, shellPaths(electron.app.getAppPath())).catch((error: unknown) => {
  electron.dialog.showErrorBox(
    'Workstation could not start',
    error instanceof Error ? error.message : String(error),
  );
  electron.app.exit(1);
});
