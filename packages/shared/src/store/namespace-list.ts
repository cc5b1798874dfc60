import { ValidationError } from '../errors';
import { isValidNamespace } from './keys';

/**
 * Parses a comma-separated list of namespaces such as `billing,reports`: trimmed, each valid,
 * none repeated.
 *
 * @param field - the flag or setting the text came from, named by errors
 * @throws {@link ValidationError} naming `field` for an empty list, an invalid or a repeated name
 */
export function parseNamespaceList(text: string, field: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.every((name) => name === '')) throw new ValidationError(field, 'expected a comma-separated list of namespaces such as "billing,reports", got nothing');
  const seen = new Set<string>();
  for (const name of names) {
    if (!isValidNamespace(name)) throw new ValidationError(field, `expected namespaces of 1-64 letters, digits or . _ - separated by commas, got ${JSON.stringify(name)} in ${JSON.stringify(text)}`);
    if (seen.has(name)) throw new ValidationError(field, `lists the namespace "${name}" twice`);
    seen.add(name);
  }
  return names;
}
