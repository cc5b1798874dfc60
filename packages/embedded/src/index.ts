/**
 * `@sundial/embedded`: Sundial inside an application process.
 *
 * @packageDocumentation
 */
export { startSundial, type Sundial } from './start-sundial';
export {
  resolveSundialOptions,
  SUNDIAL_ROLES,
  type SundialOptions,
  type SundialRole,
  type DeclaredSchedule,
  type EmbeddedCoordinatorOptions,
  type EmbeddedWorkerOptions,
  type ResolvedSundialOptions,
} from './sundial-options';
