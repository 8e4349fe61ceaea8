#!/usr/bin/env node
// The CLI is compiled by `npm run build` (run by `npm ci` through `prepare`).
import { main } from '../dist/generator/cli.js';

process.exitCode = await main(process.argv.slice(2));
