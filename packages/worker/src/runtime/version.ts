import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version of `@sundial/worker`, read from its package.json. */
export function packageVersion(): string {
  // Two levels up from both src/runtime and dist/runtime.
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}
