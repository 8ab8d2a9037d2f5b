#!/usr/bin/env node
// Thin shim: all behaviour lives in the built entry so it can be tested in-process.
import { runCli } from '../dist/index.js';

process.exitCode = await runCli(process.argv.slice(2));
