/**
 * `npm run web`: serves the renderer and main's services on 127.0.0.1 for a browser.
 *
 * Environment:
 *   WORKSTATION_WEB_PORT   port to listen on (default: a free one)
 *   WORKSTATION_DATA_DIR   where settings live (default: the OS's app-data folder, "Workstation Dev")
 *   WORKSTATION_LOG_LEVEL  pino level for the JSON log on stderr (default: info)
 *   WORKSTATION_DEMO       "off" to skip the embedded demo tenant when no tenant is configured
 *   WORKSTATION_DEMO_STACK JSON description of an already running demo tenant (tests restart the host against one)
 * A tenant is configured with WORKSTATION_AUTHORITY and friends (see the README).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../config/app-config';
import { loadAppConfig } from '../config/load-app-config';
import { createLogger } from '../logging/create-logger';
import {
  demoBanner,
  demoIdentity,
  parseDemoStack,
  startDemoStack,
  type DemoStack,
} from './demo-stack';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<void> {
  let config: AppConfig = loadAppConfig();
  const logger = createLogger({ level: config.logLevel });
  // Without a configured tenant, the embedded demo tenant stands in for Microsoft's cloud.
  const given = process.env.WORKSTATION_DEMO_STACK;
  // The demo tenant's process is spawned first; the app's own modules (the bulk of this bundle)
  // are evaluated while it boots, not before it, which brings the first page sooner.
  const demoStarting: Promise<{ stack: DemoStack; stop(): Promise<void> }> | undefined =
    !config.identity && config.mode === 'demo' && process.env.WORKSTATION_DEMO !== 'off'
      ? given
        ? Promise.resolve({ stack: parseDemoStack(given), stop: async () => undefined })
        : startDemoStack(`${config.dataDir}/demo`)
      : undefined;
  const [{ createAppServices }, { startWebHost }] = await Promise.all([
    import('../app/create-app-services'),
    import('./web-host-server'),
  ]);
  const demo = await demoStarting;
  if (demo) config = { ...config, identity: demoIdentity(demo.stack) };
  const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string })
    .version;
  const port = process.env.WORKSTATION_WEB_PORT ? Number(process.env.WORKSTATION_WEB_PORT) : 0;
  let services: ReturnType<typeof createAppServices> | undefined;
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    services = createAppServices(
      config,
      { host: 'web', version, hotkeyRegistered: () => false },
      logger,
    );
    await services.ready;
    host = await startWebHost({
      dispatch: services.dispatch,
      events: services.events,
      rendererDir: `${root}dist/renderer`,
      logger,
      port,
    });
  } catch (error) {
    // The demo tenant runs in processes of its own: it is stopped too, or it would outlive this
    // one, holding its ports and memory.
    await services?.dispose();
    await demo?.stop();
    throw error;
  }
  if (demo) process.stdout.write(demoBanner(demo.stack));

  process.stdout.write(`Workstation is running at ${host.url}\n`);
  process.stdout.write(
    "Open that address in your browser (it carries this session's access key). Press Ctrl+C to stop.\n",
  );

  const shutdown = async () => {
    await host.stop();
    await services.dispose();
    await demo?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Workstation could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
