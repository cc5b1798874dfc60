#!/usr/bin/env node
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('sundial: not built yet; run `pnpm build` at the repository root\n');
  process.exit(1);
}

// A reader that stops early (`sundial next -n 1000 | head`) closes the pipe; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`sundial: unexpected error: ${error.message}\n`);
  process.exit(1);
});

require(entry)
  .main(process.argv)
  .then((exitCode) => {
    process.exitCode = exitCode;
  });
