/**
 * A validate worker thread (validate-parallel.ts): checks the rendered environments the main
 * thread hands it, one at a time, and says when it is ready for the next.
 */
import { parentPort } from 'node:worker_threads';
import { checkEnvironmentDir, type EnvironmentJob } from './validate-parallel.js';

const port = parentPort!;
port.on('message', (job: EnvironmentJob) => {
  port.postMessage({ index: job.index, outcome: checkEnvironmentDir(job.dir, job.cwd, job.overrides) });
});
port.postMessage('ready');
