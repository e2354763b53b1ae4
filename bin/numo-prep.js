#!/usr/bin/env node
import v8 from 'node:v8';

// A school PC, not a server: let the heap grow by 30 % after each full GC instead of V8's throughput-tuned
// factor. At 100,000 rows this keeps peak memory under 150 MiB at no cost in time (see README, Prestaties).
v8.setFlagsFromString('--heap-growing-percent=30');

const { main } = await import('../dist/src/cli.js');
process.exitCode = await main(process.argv);
