/** Times and durations as people read them. Pure: no DOM (see time-element.ts for `<time>`). */

const LOCAL = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });

/** The instant in UTC: "2027-01-01 09:00:00 UTC". */
export function utcText(iso: string): string {
  return `${new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** The instant in the browser's zone. */
export function localText(iso: string): string {
  return LOCAL.format(new Date(iso));
}

/** A duration: "850 ms", "4 s", "2 min 3 s", "3 h 5 min", "2 d 4 h". */
export function shortDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.floor(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** How long until `iso` from `nowMs`: "in 4 s", "in 2 min 3 s", "now", "4 s ago". */
export function countdown(iso: string, nowMs: number): string {
  const left = new Date(iso).getTime() - nowMs;
  if (Math.abs(left) < 1_000) return 'now';
  return left > 0 ? `in ${shortDuration(Math.ceil(left / 1_000) * 1_000)}` : `${shortDuration(-left)} ago`;
}

/** A run's duration, or "—". */
export function durationText(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : shortDuration(ms);
}
