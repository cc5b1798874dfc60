import { ValidationError, namespacesFlagsHelp, namespacesFromFlags, type NamespacesFlags } from '@sundial/shared';
import type { Command } from 'commander';

/** `--namespaces` / `--all-namespaces` beside the program-wide `--namespace`. */
export interface CoordinatorNamespacesFlags extends NamespacesFlags {
  /** `--namespace NS`: one namespace. */
  namespace?: string;
}

/** Declares `--namespaces` and `--all-namespaces` on `sundial coordinator`. */
export function addNamespacesFlags(command: Command): Command {
  const help = namespacesFlagsHelp('lead');
  return command.option('--namespaces <list>', help.namespaces).option('--all-namespaces', help.allNamespaces);
}

/**
 * The namespaces a coordinator leads: a list, `'all'`, or undefined for the one of `--namespace`
 * (or `SUNDIAL_NAMESPACE`).
 *
 * @throws ValidationError naming the flag, for a bad list or flags that conflict
 */
export function coordinatorNamespaces(flags: CoordinatorNamespacesFlags): readonly string[] | 'all' | undefined {
  const namespaces = namespacesFromFlags(flags);
  if (namespaces !== undefined && flags.namespace !== undefined) {
    throw new ValidationError(flags.allNamespaces ? '--all-namespaces' : '--namespaces', 'give either --namespace or a list of namespaces, not both');
  }
  return namespaces;
}
