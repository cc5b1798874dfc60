import { applyJitter } from './jitter';
import type { NominalTrigger } from './nominal-trigger';
import type { TriggerSpec } from './trigger-spec';

/** One fire of a trigger. */
export interface FireTime {
  /** The nominal fire time (epoch ms): what the trigger says. Run ids derive from it. */
  readonly nominalMs: number;
  /** When to fire (epoch ms): the nominal time plus the schedule's deterministic jitter. */
  readonly fireAtMs: number;
}

/** Options of `CompiledTrigger.take`. */
export interface TakeOptions {
  /** Seeds the jitter, usually the schedule id. @defaultValue `""` */
  seed?: string;
  /** Only fire times with a nominal time before this (epoch ms). @defaultValue no bound */
  untilMs?: number;
}

/** A validated trigger, ready to compute fire times. Pure: time goes in as arguments. */
export class CompiledTrigger {
  constructor(
    /** The trigger in its JSON form, as validated. */
    readonly spec: TriggerSpec,
    private readonly nominal: NominalTrigger,
    /** The jitter bound in ms; 0 when the trigger has none. */
    readonly jitterMs: number,
  ) {}

  /** The first nominal fire time strictly after `afterMs`, or undefined when the trigger is done. */
  nextNominal(afterMs: number, untilMs = Infinity): number | undefined {
    return this.nominal.next(afterMs, untilMs);
  }

  /** The first fire strictly after `afterMs` (by nominal time), or undefined when the trigger is done. */
  next(afterMs: number, seed = ''): FireTime | undefined {
    return this.take(afterMs, 1, { seed })[0];
  }

  /** Up to `count` fires whose nominal times are strictly after `afterMs`, in order. */
  take(afterMs: number, count: number, options: TakeOptions = {}): FireTime[] {
    const { seed = '', untilMs = Infinity } = options;
    const fires: FireTime[] = [];
    let nominal = this.nominal.next(afterMs, untilMs);
    while (nominal !== undefined && fires.length < count) {
      // Jitter never reaches the following nominal time, so it needs that time; without jitter, skip the look-ahead.
      const following = this.jitterMs > 0 || fires.length + 1 < count ? this.nominal.next(nominal, Infinity) : undefined;
      fires.push({ nominalMs: nominal, fireAtMs: applyJitter(seed, nominal, this.jitterMs, following) });
      nominal = following !== undefined && following < untilMs ? following : undefined;
    }
    return fires;
  }
}
