import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { RedisConnection } from '../redis/redis-target';

/** The Lua scripts live beside `src` and `dist`, so the same path works from both. */
const LUA_DIR = path.join(__dirname, '..', '..', 'lua');
const INCLUDE = /^--- @include "([\w-]+)"$/gm;
const FILE_NAME = /^(\w+)-(\d+)\.lua$/;

/** The names of Sundial's Lua scripts, each in `lua/<name>-<numberOfKeys>.lua`. */
export type ScriptName =
  | 'addSchedule'
  | 'addSchedules'
  | 'updateSchedule'
  | 'removeSchedule'
  | 'requestRuns'
  | 'claimEpoch'
  | 'commitFires'
  | 'commitRequest'
  | 'ackDispatched'
  | 'promoteBuffered'
  | 'settleCancels'
  | 'recordAttempt'
  | 'reapHeartbeats';

interface Script {
  readonly numberOfKeys: number;
  readonly lua: string;
}

let scripts: Map<string, Script> | undefined;

function loadScripts(): Map<string, Script> {
  if (scripts) return scripts;
  const include = (name: string) => readFileSync(path.join(LUA_DIR, 'includes', `${name}.lua`), 'utf8');
  scripts = new Map();
  for (const file of readdirSync(LUA_DIR)) {
    const match = FILE_NAME.exec(file);
    if (!match) continue;
    const lua = readFileSync(path.join(LUA_DIR, file), 'utf8').replace(INCLUDE, (_, name: string) => include(name));
    scripts.set(match[1] as string, { numberOfKeys: Number(match[2]), lua });
  }
  return scripts;
}

const registered = new WeakSet<RedisConnection>();

/**
 * Runs one of Sundial's Lua scripts. Scripts are registered on a connection the first time
 * (`defineCommand`, so ioredis sends EVALSHA and falls back to EVAL after a Redis restart).
 */
export async function runScript<T = unknown>(redis: RedisConnection, name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
  if (!registered.has(redis)) {
    for (const [scriptName, script] of loadScripts()) redis.defineCommand(scriptName, script);
    registered.add(redis);
  }
  const command = (redis as unknown as Record<string, (...params: (string | number)[]) => Promise<T>>)[name];
  if (!command) throw new Error(`Lua script "${name}" is missing from ${LUA_DIR}`);
  return command.call(redis, ...keys, ...args);
}
