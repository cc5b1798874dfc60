#!/usr/bin/env node
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('sundial-worker: not built yet; run `pnpm build` at the repository root\n');
  process.exit(1);
}

// Exit once the worker has stopped, even if a task module left something open (a pool, a timer).
require(entry)
  .main(process.argv)
  .then((exitCode) => process.exit(exitCode));
