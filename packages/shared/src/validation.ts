import type { z } from 'zod';
import type { ValidationError } from './errors';

/** A constructor of a `ValidationError` subclass. */
export type ValidationErrorClass = new (field: string, problem: string, options?: ErrorOptions) => ValidationError;

/** Joins a field path and a key: `joinPath('and[0]', 'cron')` is `and[0].cron`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (typeof value === 'string') return `"${value}"`;
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * Validates `input` against a zod schema, turning the first problem into one error that names
 * the field, what was expected and what was received.
 */
export function parseWithSchema<T>(schema: z.ZodType<T>, input: unknown, path: string, ErrorClass: ValidationErrorClass): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ErrorClass(path, 'is invalid');
  let field = path;
  let received: unknown = input;
  for (const key of issue.path) {
    field = joinPath(field, typeof key === 'symbol' ? String(key) : key);
    received = received !== null && typeof received === 'object' ? (received as Record<PropertyKey, unknown>)[key] : undefined;
  }
  if (issue.code === 'unrecognized_keys') {
    const [first = ''] = issue.keys;
    throw new ErrorClass(joinPath(field, first), `unknown field${issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(', ')})` : ''}`);
  }
  const got = received === undefined ? 'nothing' : describe(received);
  throw new ErrorClass(field, `${issue.message}, got ${got}`);
}
