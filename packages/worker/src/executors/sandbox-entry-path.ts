import { join } from 'node:path';

/**
 * The script a sandbox starts with, `sandbox-entry.js` beside this file once compiled. Run from
 * TypeScript sources (ts-jest), there is no such file: tests use the compiled package in `dist`.
 */
export const SANDBOX_ENTRY = join(__dirname, 'sandbox-entry.js');
