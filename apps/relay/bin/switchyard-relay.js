#!/usr/bin/env node
// Thin shim: all behaviour lives in the built entry, which tests can drive in-process.
import { main } from '../dist/main.js';

await main(process.argv.slice(2), process.env);
