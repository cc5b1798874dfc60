/** Joins a multi-line message into one line, so every error or warning is exactly one line. */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}
