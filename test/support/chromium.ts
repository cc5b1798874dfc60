import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The names under which distributions install Chromium, in the order they are tried. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser'];

/** The environment variable that names a Chromium binary explicitly, instead of the PATH lookup. */
export const CHROMIUM_PATH_ENV = 'SUNDIAL_CHROMIUM';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of the Chromium binary the browser tests drive: `SUNDIAL_CHROMIUM` when set, else the
 * first `chromium` or `chromium-browser` on the PATH.
 *
 * @throws when there is none, saying how to install it
 */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[CHROMIUM_PATH_ENV];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${CHROMIUM_PATH_ENV}=${explicit} is not an executable file`);
    return explicit;
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new Error(
    `the browser tests need Chromium, and neither ${CHROMIUM_NAMES.join(' nor ')} is on the PATH: ` +
      `install it (Debian: apt-get install chromium) or set ${CHROMIUM_PATH_ENV} to its binary`,
  );
}

/** Starts a headless Chromium (see {@link chromiumExecutable}) driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: ['--no-sandbox'] });
}
