// Each worker of worker-cluster.test.ts's cluster: a Fastify server on port 0, as the store's is
// by default, answering which process it is.
import Fastify from 'fastify';
import { reportWorkerReady } from '../worker-cluster';

async function main(): Promise<void> {
  if (process.env.PID_SERVER_FAIL === '1')
    throw new Error('PID_SERVER_FAIL asks this worker to fail');
  const app = Fastify();
  app.get('/', () => ({ pid: process.pid, tag: process.env.PID_SERVER_TAG }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // PID_SERVER_STUCK: a worker that never finishes closing (it ignores SIGTERM).
  if (process.env.PID_SERVER_STUCK === '1') process.on('SIGTERM', () => undefined);
  else process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  reportWorkerReady(`http://127.0.0.1:${port}`);
}

void main();
