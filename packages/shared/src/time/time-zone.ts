import { InvalidTriggerError } from '../errors';
import { DAY_MS, SECOND_MS, civilFromDays, daysFromCivil } from './civil';

/**
 * A stretch of time during which a zone's UTC offset does not change. Local wall time is
 * `instant + offset` throughout it.
 */
export interface OffsetSegment {
  /** First instant of the segment (UTC ms); `-Infinity` for a zone without transitions. */
  readonly start: number;
  /** First instant after the segment (UTC ms); `Infinity` for a zone without transitions. */
  readonly end: number;
  /** UTC offset during the segment, in ms. */
  readonly offset: number;
  /**
   * UTC offset just before `start`. Larger than `offset` after clocks fall back (wall times
   * repeat), smaller after they spring forward (wall times are skipped), equal when the segment
   * starts at a year boundary rather than at a transition.
   */
  readonly offsetBefore: number;
}

interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

interface YearTable {
  readonly startOffset: number;
  /** Transitions with `start < at <= end` of the year, in order. */
  readonly transitions: readonly Transition[];
}

/** How far apart the offset is sampled when looking for transitions. */
const SAMPLE_STEP_MS = 7 * DAY_MS;
/** `GMT+05:30` as `longOffset` formats it; plain `GMT` for zero. */
const LONG_OFFSET = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

const UNBOUNDED_UTC: OffsetSegment = { start: -Infinity, end: Infinity, offset: 0, offsetBefore: 0 };

function yearStartMs(year: number): number {
  return daysFromCivil(year, 1, 1) * DAY_MS;
}

function utcYearOf(ms: number): number {
  return civilFromDays(Math.floor(ms / DAY_MS)).year;
}

/**
 * An IANA time zone with fast offset lookups. Offsets come from the runtime's ICU data through
 * `Intl`; transitions are located once per zone and year and cached.
 */
export class TimeZone {
  private static readonly cache = new Map<string, TimeZone>();

  /** UTC, the default zone of every trigger. */
  static readonly UTC = new TimeZone('UTC');

  private readonly format: Intl.DateTimeFormat | undefined;
  private readonly years = new Map<number, YearTable>();

  private constructor(
    /** The canonical IANA name, e.g. `Europe/Berlin` or `UTC`. */
    readonly name: string,
  ) {
    this.format = name === 'UTC' ? undefined : new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  }

  /**
   * The zone named `name` (an IANA name such as `America/New_York`; case-insensitive).
   *
   * @param field - the field to name in the error when the zone is unknown
   * @throws InvalidTriggerError when the runtime does not know the zone
   */
  static of(name: string, field = 'timezone'): TimeZone {
    const cached = TimeZone.cache.get(name);
    if (cached) return cached;
    let canonical: string;
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch (error) {
      throw new InvalidTriggerError(field, `unknown time zone "${name}"; expected an IANA name such as "Europe/Berlin" or "UTC"`, {
        cause: error,
      });
    }
    if (canonical === 'Etc/UTC' || canonical === 'Etc/GMT' || canonical === 'GMT') canonical = 'UTC';
    const zone = canonical === 'UTC' ? TimeZone.UTC : (TimeZone.cache.get(canonical) ?? new TimeZone(canonical));
    TimeZone.cache.set(canonical, zone);
    TimeZone.cache.set(name, zone);
    return zone;
  }

  /** The UTC offset in ms at an instant. */
  offsetAt(ms: number): number {
    return this.segmentAt(ms).offset;
  }

  /** The local wall time (see `civil.ts`) at an instant. */
  wallTimeAt(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /** The constant-offset segment that contains an instant. */
  segmentAt(ms: number): OffsetSegment {
    if (!this.format) return UNBOUNDED_UTC;
    const year = utcYearOf(ms);
    const table = this.yearTable(year);
    let last: Transition | undefined;
    let next: Transition | undefined;
    for (const transition of table.transitions) {
      if (transition.at <= ms) last = transition;
      else {
        next = transition;
        break;
      }
    }
    const end = next ? next.at : yearStartMs(year + 1);
    if (last) return { start: last.at, end, offset: last.after, offsetBefore: last.before };
    const start = yearStartMs(year);
    const atYearStart = this.yearTable(year - 1).transitions.at(-1);
    const offsetBefore = atYearStart?.at === start ? atYearStart.before : table.startOffset;
    return { start, end, offset: table.startOffset, offsetBefore };
  }

  private yearTable(year: number): YearTable {
    let table = this.years.get(year);
    if (!table) {
      table = this.scanYear(year);
      this.years.set(year, table);
    }
    return table;
  }

  /**
   * Samples the offset once a week and bisects each change down to the second. Two transitions
   * within one week that cancel out would go unseen; daylight-saving periods last months.
   */
  private scanYear(year: number): YearTable {
    const start = yearStartMs(year);
    const end = yearStartMs(year + 1);
    const startOffset = this.rawOffset(start);
    const transitions: Transition[] = [];
    let lowMs = start;
    let lowOffset = startOffset;
    while (lowMs < end) {
      const highMs = Math.min(lowMs + SAMPLE_STEP_MS, end);
      const highOffset = this.rawOffset(highMs);
      if (highOffset === lowOffset) {
        lowMs = highMs;
        continue;
      }
      const transition = this.bisect(lowMs, lowOffset, highMs);
      transitions.push(transition);
      lowMs = transition.at;
      lowOffset = transition.after;
    }
    return { startOffset, transitions };
  }

  /** The first whole second in `(lowMs, highMs]` whose offset differs from `lowOffset`. */
  private bisect(lowMs: number, lowOffset: number, highMs: number): Transition {
    let low = lowMs;
    let high = highMs;
    while (high - low > SECOND_MS) {
      const mid = low + Math.floor((high - low) / (2 * SECOND_MS)) * SECOND_MS;
      if (this.rawOffset(mid) === lowOffset) low = mid;
      else high = mid;
    }
    return { at: high, before: lowOffset, after: this.rawOffset(high) };
  }

  private rawOffset(ms: number): number {
    if (!this.format) return 0;
    const match = LONG_OFFSET.exec(this.format.format(ms));
    if (!match) throw new RangeError(`cannot read the UTC offset of ${this.name} at ${new Date(ms).toISOString()}`);
    const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
    const offset = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * SECOND_MS;
    return sign === '-' ? -offset : offset;
  }
}
