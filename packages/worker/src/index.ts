/**
 * `@sundial/worker`: the Sundial worker runtime.
 *
 * @packageDocumentation
 */
export {};
