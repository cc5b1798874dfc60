import type { EventHooks } from '@sundial/shared';

/**
 * One `on()` over the hooks of several sources (a coordinator and a worker): a handler hears
 * the events of every one, and the function returned removes it from all.
 */
export function combineHooks(sources: readonly (EventHooks | undefined)[]): EventHooks['on'] {
  return (types, handler) => {
    const removers = sources.map((source) => source?.on(types, handler));
    return () => {
      for (const remove of removers) remove?.();
    };
  };
}
