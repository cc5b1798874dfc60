/** The dashboard's places, from the URL hash: `#/schedules`, `#/schedules/<id>`, `#/runs`, `#/runs/<runId>`, `#/cluster`. */
export type Route =
  | { readonly view: 'schedules' }
  | { readonly view: 'schedule'; readonly id: string }
  | { readonly view: 'runs' }
  | { readonly view: 'run'; readonly runId: string }
  | { readonly view: 'cluster' };

/** The route of a hash; anything unknown is the schedule list. */
export function parseRoute(hash: string): Route {
  const [section, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const id = rest.length > 0 ? safeDecode(rest.join('/')) : undefined;
  if (section === 'schedules' && id) return { view: 'schedule', id };
  if (section === 'runs' && id) return { view: 'run', runId: id };
  if (section === 'runs') return { view: 'runs' };
  if (section === 'cluster') return { view: 'cluster' };
  return { view: 'schedules' };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The hash of a schedule's page. */
export const scheduleHref = (id: string) => `#/schedules/${encodeURIComponent(id)}`;

/** The hash of a run's page. */
export const runHref = (runId: string) => `#/runs/${encodeURIComponent(runId)}`;

/** The section a route belongs to, for the navigation. */
export function sectionOf(route: Route): 'schedules' | 'runs' | 'cluster' {
  if (route.view === 'schedule') return 'schedules';
  if (route.view === 'run') return 'runs';
  return route.view;
}
