import { LeaseBalancer } from './lease-balancer';

function balancerWith(namespaces: readonly string[], replicas: number) {
  let nowMs = 0;
  const free = new Map<string, boolean>(namespaces.map((namespace) => [namespace, true]));
  const balancer = new LeaseBalancer({ yieldCooldownMs: 2_000, now: () => nowMs });
  balancer.setReplicaCount(replicas);
  const gates = new Map(namespaces.map((namespace) => [namespace, balancer.gateFor(namespace, async () => free.get(namespace) ?? false)]));
  const gate = (namespace: string) => gates.get(namespace) as ReturnType<LeaseBalancer['gateFor']>;
  return { balancer, gate, free, advance: (ms: number) => (nowMs += ms) };
}

describe('LeaseBalancer', () => {
  it('aims at ceil(namespaces / replicas), at least one', () => {
    expect(balancerWith(['a', 'b', 'c', 'd', 'e', 'f'], 3).balancer.fairShare()).toBe(2);
    expect(balancerWith(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3).balancer.fairShare()).toBe(3);
    expect(balancerWith(['a'], 5).balancer.fairShare()).toBe(1);
    expect(balancerWith(['a', 'b'], 0).balancer.fairShare()).toBe(2);
  });

  it('contends at once while under its share', async () => {
    const { gate } = balancerWith(['a', 'b', 'c', 'd'], 2);
    gate('a').leadershipChanged(true);
    await expect(gate('b').mayContend()).resolves.toBe(true);
  });

  it('at its share takes a lease only after it stayed free for two checks in a row', async () => {
    const { gate, free } = balancerWith(['a', 'b', 'c', 'd'], 2);
    gate('a').leadershipChanged(true);
    gate('b').leadershipChanged(true);
    free.set('c', false);
    await expect(gate('c').mayContend()).resolves.toBe(false);
    free.set('c', true);
    await expect(gate('c').mayContend()).resolves.toBe(false);
    await expect(gate('c').mayContend()).resolves.toBe(true);
    // Held again in between: the count starts over.
    free.set('d', true);
    await expect(gate('d').mayContend()).resolves.toBe(false);
    free.set('d', false);
    await expect(gate('d').mayContend()).resolves.toBe(false);
    free.set('d', true);
    await expect(gate('d').mayContend()).resolves.toBe(false);
  });

  it('over its share gives one lease up per cooldown, and stops once at its share', () => {
    const { balancer, gate, advance } = balancerWith(['a', 'b', 'c', 'd', 'e', 'f'], 1);
    for (const namespace of ['a', 'b', 'c', 'd']) gate(namespace).leadershipChanged(true);
    balancer.setReplicaCount(3);
    expect(gate('a').shouldYield()).toBe(true);
    gate('a').leadershipChanged(false);
    expect(gate('b').shouldYield()).toBe(false);
    advance(2_000);
    expect(gate('b').shouldYield()).toBe(true);
    gate('b').leadershipChanged(false);
    advance(2_000);
    expect(gate('c').shouldYield()).toBe(false);
    expect(balancer.leadingNamespaces()).toEqual(['c', 'd']);
  });
});
