import type { TimeZone } from '@sundial/shared';

/** A UTC offset in ms as `+HH:MM` (or `+HH:MM:SS` for the odd historical offset). */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const totalSeconds = Math.round(Math.abs(offsetMs) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${sign}${pad(hours)}:${pad(minutes)}${seconds ? `:${pad(seconds)}` : ''}`;
}

/**
 * An instant as local wall time in a zone with its UTC offset, e.g. `2026-03-08 03:00:00 -04:00`,
 * so a daylight-saving change shows. Milliseconds appear only when there are some.
 */
export function formatZonedTime(ms: number, zone: TimeZone): string {
  const offsetMs = zone.offsetAt(ms);
  const wall = new Date(ms + offsetMs).toISOString();
  const text = wall.slice(0, -1).replace('T', ' ').replace(/\.000$/, '');
  return `${text} ${formatOffset(offsetMs)}`;
}
