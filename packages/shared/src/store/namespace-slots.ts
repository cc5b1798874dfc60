import { ValidationError } from '../errors';
import { isCluster, type RedisConnection } from '../redis/redis-target';
import type { NamespaceKeys } from './keys';

/** A key of each family a namespace uses, BullMQ's queue keys included. */
function keyFamilies(keys: NamespaceKeys): string[] {
  return [
    keys.schedule('probe'),
    keys.definition('probe'),
    keys.due,
    keys.leader,
    keys.epoch,
    keys.events,
    keys.run('probe@0'),
    keys.outbox,
    keys.workers,
    `${keys.bullPrefix}:default:wait`,
    `${keys.bullPrefix}:default:probe`,
  ];
}

/**
 * On a Redis Cluster, checks with `CLUSTER KEYSLOT` that every key family of a namespace (the
 * schedules and their definitions, the due set, the lease and epoch, the events stream, run
 * records, the outbox and BullMQ's queue keys under `keys.bullPrefix`) maps to one slot, as
 * Sundial's Lua scripts and BullMQ's require. Does nothing on a standalone or Sentinel-managed Redis.
 *
 * @throws {@link ValidationError} naming `namespace` when the keys would span slots (a namespace
 *   or prefix without the `{<namespace>}` hash tag)
 */
export async function checkNamespaceSlots(connection: RedisConnection, keys: NamespaceKeys): Promise<void> {
  if (!isCluster(connection)) return;
  const families = keyFamilies(keys);
  const slots = await Promise.all(families.map(async (key) => Number(await connection.cluster('KEYSLOT', key))));
  const first = slots[0];
  const stray = families.find((_, index) => slots[index] !== first);
  if (stray !== undefined) {
    throw new ValidationError(
      'namespace',
      `the keys of namespace "${keys.namespace}" span Redis Cluster slots (${families[0]} is in slot ${first}, ${stray} in slot ${slots[families.indexOf(stray)]}); ` +
        `every key and the BullMQ prefix (${keys.bullPrefix}) must carry the hash tag {${keys.namespace}}`,
    );
  }
}
