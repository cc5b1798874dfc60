/**
 * `@sundial/embedded`: Sundial inside an application process.
 *
 * @packageDocumentation
 */
export {};
