import { validateTaskDefinition } from './define-task';
import type { TaskContext, TaskDefinition } from './task-definition';

/** What `@task(...)` takes: a task definition without its handler (the method), all optional. */
export type TaskOptions = Omit<TaskDefinition, 'name' | 'handler' | 'modulePath'> & {
  /** @defaultValue the method's name */
  readonly name?: string;
};

/** A method `@task` can decorate: it takes the context (or nothing) and returns the result. */
export type TaskMethod<This> = (this: This, context: TaskContext<never>) => unknown;

/** What `@task` records about one method, in the class's decorator metadata. */
interface TaskRecord {
  readonly options: TaskOptions & { readonly name: string };
  readonly isStatic: boolean;
  readonly get: (target: unknown) => TaskMethod<unknown>;
}

type Constructor = abstract new (...args: never[]) => object;

// TypeScript's standard decorators attach metadata only where `Symbol.metadata` exists; Node.js
// does not define it yet. A registered symbol keeps two copies of this package in agreement.
const symbols = Symbol as unknown as { metadata?: symbol };
symbols.metadata ??= Symbol.for('Symbol.metadata');
const METADATA: symbol = symbols.metadata;
const TASKS = Symbol.for('sundial.tasks');

const definitionsOf = new WeakMap<object, readonly TaskDefinition[]>();
const instances = new WeakMap<Constructor, object>();

function decorate<This>(options: TaskOptions, method: TaskMethod<This>, context: ClassMethodDecoratorContext<This, TaskMethod<This>>): void {
  if (context.kind !== 'method') throw new TypeError('@task decorates class methods only');
  const metadata = context.metadata as Record<symbol, unknown> | undefined;
  if (!metadata) throw new TypeError('@task needs decorator metadata (Symbol.metadata): compile with TypeScript 5.2 or later');
  const name = options.name ?? (typeof context.name === 'string' ? context.name : (context.name.description ?? ''));
  // Checked now, so a bad option fails when the class is defined rather than when a worker starts.
  validateTaskDefinition({ ...options, name, handler: method });
  const inherited = (metadata[TASKS] as ReadonlyMap<string | symbol, TaskRecord> | undefined) ?? new Map<string | symbol, TaskRecord>();
  const records = Object.hasOwn(metadata, TASKS) ? (inherited as Map<string | symbol, TaskRecord>) : new Map(inherited);
  const key = `${context.static ? 'static ' : ''}${String(context.name)}`;
  records.set(key, { options: { ...options, name }, isStatic: context.static, get: (target) => context.access.get(target as This) as TaskMethod<unknown> });
  metadata[TASKS] = records;
}

/**
 * Makes a class method a task, as `defineTask` would with the method as its handler. Options are
 * the fields of a task definition; the name defaults to the method's. `tasksOf(Class)` returns
 * the definitions, and `sundial-worker --tasks` finds decorated classes a module exports.
 *
 * An instance method runs on one instance of the class, created (with no arguments) when a task
 * of the class first runs; pass an instance to `tasksOf` to choose it. A static method runs on
 * the class. A TypeScript 5 standard decorator: no `experimentalDecorators`.
 *
 * @example
 * ```ts
 * export class Reports {
 *   @task({ retry: { attempts: 3 } })
 *   async dailyReport({ data, logger }: TaskContext<{ day: string }>) { ... }
 * }
 * ```
 *
 * @throws TaskDefinitionError when the class is defined, if an option is invalid
 */
export function task<This>(method: TaskMethod<This>, context: ClassMethodDecoratorContext<This, TaskMethod<This>>): void;
export function task(options?: TaskOptions): <This>(method: TaskMethod<This>, context: ClassMethodDecoratorContext<This, TaskMethod<This>>) => void;
export function task<This>(
  methodOrOptions: TaskMethod<This> | TaskOptions = {},
  context?: ClassMethodDecoratorContext<This, TaskMethod<This>>,
): void | (<T>(method: TaskMethod<T>, context: ClassMethodDecoratorContext<T, TaskMethod<T>>) => void) {
  if (typeof methodOrOptions === 'function') {
    if (!context) throw new TypeError('@task: expected to decorate a class method');
    decorate({}, methodOrOptions, context);
    return;
  }
  return (method, methodContext) => decorate(methodOrOptions, method, methodContext);
}

function recordsOf(target: Constructor): ReadonlyMap<string | symbol, TaskRecord> | undefined {
  const metadata = (target as unknown as Record<symbol, Record<symbol, unknown> | undefined>)[METADATA];
  return metadata?.[TASKS] as ReadonlyMap<string | symbol, TaskRecord> | undefined;
}

function sharedInstance(Class: Constructor): object {
  let instance = instances.get(Class);
  if (!instance) {
    instance = new (Class as unknown as new () => object)();
    instances.set(Class, instance);
  }
  return instance;
}

/**
 * The task definitions of a class's `@task` methods (its base classes' included), frozen, in
 * the order they were decorated (static methods first, then instance methods, each in
 * declaration order); the same objects on every call. Given a class, its instance methods run
 * on one instance created when first needed; given an instance, on that instance. An empty
 * array for a class without `@task` methods.
 */
export function tasksOf(classOrInstance: object): readonly TaskDefinition[] {
  const cached = definitionsOf.get(classOrInstance);
  if (cached) return cached;
  const isClass = typeof classOrInstance === 'function';
  const Class = (isClass ? classOrInstance : classOrInstance.constructor) as Constructor;
  const records = typeof Class === 'function' ? recordsOf(Class) : undefined;
  const definitions = Object.freeze(
    [...(records?.values() ?? [])].map(({ options, isStatic, get }) => {
      const target = (): object => (isStatic ? Class : isClass ? sharedInstance(Class) : classOrInstance);
      const handler = (context: TaskContext): unknown => {
        const self = target();
        return get(self).call(self, context as TaskContext<never>);
      };
      return validateTaskDefinition({ ...options, handler });
    }),
  );
  definitionsOf.set(classOrInstance, definitions);
  return definitions;
}
