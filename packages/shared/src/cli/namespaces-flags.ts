import { ValidationError } from '../errors';
import { parseNamespaceList } from '../store/namespace-list';

/** The flags that make one process serve several namespaces (`sundial coordinator`, `sundial-worker`). */
export interface NamespacesFlags {
  /** `--namespaces a,b,c`: serve these namespaces. */
  namespaces?: string;
  /** `--all-namespaces`: serve every namespace that holds schedules. */
  allNamespaces?: boolean;
}

/** The help texts of {@link NamespacesFlags}, for a command that does `what` (e.g. "lead", "serve"). */
export function namespacesFlagsHelp(what: string): { namespaces: string; allNamespaces: string } {
  return {
    namespaces: `${what} these namespaces, comma-separated, instead of one`,
    allNamespaces: `${what} every namespace that holds schedules, looking for new ones every 30 s`,
  };
}

/**
 * The namespaces the flags name: a list, `'all'`, or undefined when neither flag is given (the
 * process serves one namespace).
 *
 * @throws {@link ValidationError} naming the flag, for a bad list or both flags at once
 */
export function namespacesFromFlags(flags: NamespacesFlags): readonly string[] | 'all' | undefined {
  if (flags.namespaces !== undefined && flags.allNamespaces) throw new ValidationError('--namespaces', 'give either --namespaces or --all-namespaces, not both');
  if (flags.namespaces !== undefined) return parseNamespaceList(flags.namespaces, '--namespaces');
  return flags.allNamespaces ? 'all' : undefined;
}
