/**
 * `@sundial/testing`: deterministic tests of schedules and tasks.
 *
 * @packageDocumentation
 */
export {};
