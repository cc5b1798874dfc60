/** The API token the user entered, kept for this browser tab only (sessionStorage). */

const KEY = 'sundial.apiToken';

/** The token, or undefined when none was entered. */
export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a token for this tab. */
export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** Forgets the token. */
export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
