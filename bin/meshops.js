#!/usr/bin/env node
// The CLI is compiled and bundled into one module by `npm run build` (run by `npm ci` through `prepare`).
import { main } from '../dist/meshops.js';

process.exitCode = await main(process.argv.slice(2));
