import { ApiClient } from './api-client';
import { ConnectionBanner, RETRY_MS } from './connection-banner';
import { updateCountdowns } from './countdowns';
import { h, replaceChildren } from './dom';
import { parseRoute, sectionOf, type Route } from './router';
import { forgetToken, storeToken } from './session';
import { signInForm } from './sign-in';
import type { View, ViewContext } from './view';
import { ClusterView } from './views/cluster-view';
import { RunDetailView } from './views/run-detail-view';
import { RunsView } from './views/runs-view';
import { ScheduleDetailView } from './views/schedule-detail-view';
import { SchedulesView } from './views/schedules-view';

/** How often the open view reads the API again while it answers. */
const REFRESH_MS = 5_000;

const SECTIONS = [
  ['schedules', 'Schedules'],
  ['runs', 'Runs'],
  ['cluster', 'Cluster'],
] as const;

function createView(route: Route, context: ViewContext): View {
  switch (route.view) {
    case 'schedule':
      return new ScheduleDetailView(context, route.id);
    case 'runs':
      return new RunsView(context);
    case 'run':
      return new RunDetailView(context, route.runId);
    case 'cluster':
      return new ClusterView(context);
    default:
      return new SchedulesView(context);
  }
}

/**
 * The dashboard: navigation, the connection banner, and the view of the URL hash, refreshed
 * every few seconds (more often while the API is unreachable). When the API wants a token, the
 * view gives way to the sign-in form until one is entered.
 */
export class DashboardApp {
  private readonly banner = new ConnectionBanner();
  private readonly main = h('main', { id: 'main', tabindex: '-1' });
  private readonly links = new Map<string, HTMLAnchorElement>();
  private readonly client: ApiClient;
  private view: View | undefined;
  private signingIn = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly root: HTMLElement) {
    this.client = new ApiClient({
      reachability: (reachable) => this.banner.set(reachable),
      signInNeeded: (message, status, hadToken) => this.askForToken(message, status, hadToken),
    });
  }

  /** Renders the page and follows the URL hash. */
  start(): void {
    const nav = h(
      'nav',
      { 'aria-label': 'Sections' },
      h(
        'ul',
        {},
        SECTIONS.map(([section, name]) => {
          const link = h('a', { href: `#/${section}` }, name);
          this.links.set(section, link);
          return h('li', {}, link);
        }),
      ),
    );
    replaceChildren(this.root, h('header', { class: 'top' }, h('a', { class: 'brand', href: '#/schedules' }, 'Sundial'), nav), this.banner.element, this.main);
    window.addEventListener('hashchange', () => this.show());
    this.show();
  }

  /** Shows the view of the current hash (or keeps the sign-in form while it is up). */
  private show(): void {
    const route = parseRoute(location.hash);
    for (const [section, link] of this.links) {
      if (section === sectionOf(route)) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (this.signingIn) return;
    this.view?.dispose();
    this.view = createView(route, { client: this.client });
    replaceChildren(this.main, this.view.element);
    document.title = `${this.view.title} · Sundial`;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const view = this.view;
    if (view && !this.signingIn) {
      await view.refresh();
      updateCountdowns(this.main);
    }
    if (view === this.view) this.timer = setTimeout(() => void this.refresh(), this.banner.shown ? RETRY_MS : REFRESH_MS);
  }

  private askForToken(message: string, status: number, hadToken: boolean): void {
    if (hadToken && status === 401) forgetToken();
    const reason = hadToken || status === 403 ? message : undefined;
    this.signingIn = true;
    clearTimeout(this.timer);
    this.view?.dispose();
    this.view = undefined;
    replaceChildren(this.main, signInForm(reason, (token) => this.signIn(token)));
    document.title = 'Sign in · Sundial';
  }

  private signIn(token: string): void {
    storeToken(token);
    this.signingIn = false;
    this.show();
  }
}
