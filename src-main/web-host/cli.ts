/**
 * `npm run web`: serves the renderer and main's services on 127.0.0.1 for a browser.
 *
 * Environment:
 *   WORKSTATION_WEB_PORT   port to listen on (default: a free one)
 *   WORKSTATION_DATA_DIR   where settings live (default: the OS's app-data folder, "Workstation Dev")
 *   WORKSTATION_LOG_LEVEL  pino level for the JSON log on stderr (default: info)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../app/create-app-services';
import { loadAppConfig } from '../config/app-config';
import { createLogger } from '../logging/create-logger';
import { startWebHost } from './web-host-server';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<void> {
  const config = loadAppConfig();
  const logger = createLogger({ level: config.logLevel });
  const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
  const services = createAppServices(config, { host: 'web', version, hotkeyRegistered: () => false }, logger);
  const port = process.env.WORKSTATION_WEB_PORT ? Number(process.env.WORKSTATION_WEB_PORT) : 0;
  const host = await startWebHost({ dispatch: services.dispatch, events: services.events, rendererDir: `${root}dist/renderer`, logger, port });

  process.stdout.write(`Workstation is running at ${host.url}\n`);
  process.stdout.write('Open that address in your browser (it carries this session\'s access key). Press Ctrl+C to stop.\n');

  const shutdown = async () => {
    await host.stop();
    await services.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`Workstation could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
