import { ValidationError } from '@sundial/shared';
import { coordinatorNamespaces } from './namespace-flags';

describe('coordinatorNamespaces', () => {
  it('reads a list, trimmed, or all namespaces, or none', () => {
    expect(coordinatorNamespaces({ namespaces: 'billing, reports ,eu.west' })).toEqual(['billing', 'reports', 'eu.west']);
    expect(coordinatorNamespaces({ allNamespaces: true })).toBe('all');
    expect(coordinatorNamespaces({ namespace: 'billing' })).toBeUndefined();
  });

  it.each([
    [{ namespaces: '' }, '--namespaces', /got nothing/],
    [{ namespaces: 'a,,b' }, '--namespaces', /got ""/],
    [{ namespaces: 'a,b{x}' }, '--namespaces', /"b\{x\}"/],
    [{ namespaces: 'a,b,a' }, '--namespaces', /"a" twice/],
    [{ namespaces: 'a', allNamespaces: true }, '--namespaces', /not both/],
    [{ namespaces: 'a', namespace: 'b' }, '--namespaces', /--namespace or a list/],
    [{ allNamespaces: true, namespace: 'b' }, '--all-namespaces', /--namespace or a list/],
  ])('rejects %j naming %s', (flags, field, problem) => {
    let error: unknown;
    try {
      coordinatorNamespaces(flags);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect((error as ValidationError).problem).toMatch(problem);
  });
});
