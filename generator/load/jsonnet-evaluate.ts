/**
 * The Jsonnet evaluation process: evaluates one file with the library directory on the import
 * path and writes the JSON to stdout (an error: the engine's message to stderr, exit 1). It runs
 * apart from meshops so that the parent can bound its time and memory and kill it (jsonnet.ts).
 */
import { createRequire } from 'node:module';
import type { JsonnetModule } from './jsonnet.js';

const [file, libDir] = process.argv.slice(2);
const engine = createRequire(import.meta.url)('@hanazuki/node-jsonnet') as JsonnetModule;
try {
  process.stdout.write(await new engine.Jsonnet().addJpath(libDir!).evaluateFile(file!));
} catch (e) {
  process.stderr.write((e as Error).message);
  process.exitCode = 1;
}
