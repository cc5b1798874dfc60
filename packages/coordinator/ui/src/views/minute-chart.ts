import { svg } from '../dom';
import type { MinuteCount } from '../per-minute';

const WIDTH = 300;
const HEIGHT = 80;
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * A small bar chart of counts per minute, as inline SVG with role img and `name` as its label;
 * each bar has a title ("14:05: 3") for hover, and the label says the total.
 */
export function minuteChart(name: string, counts: readonly MinuteCount[], className: string): SVGSVGElement {
  const max = Math.max(1, ...counts.map(({ count }) => count));
  const total = counts.reduce((sum, { count }) => sum + count, 0);
  const barWidth = WIDTH / Math.max(1, counts.length);
  const bars = counts.map(({ minuteMs, count }, index) => {
    const height = count === 0 ? 0 : Math.max(2, (count / max) * (HEIGHT - 12));
    return svg(
      'rect',
      { x: (index * barWidth + 1).toFixed(1), y: (HEIGHT - height).toFixed(1), width: Math.max(1, barWidth - 2).toFixed(1), height: height.toFixed(1), class: 'bar' },
      svg('title', {}, `${TIME.format(minuteMs)}: ${count}`),
    );
  });
  return svg(
    'svg',
    { role: 'img', 'aria-label': name, 'aria-description': `${total} in the last ${counts.length} minutes, at most ${max} in a minute`, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: `chart ${className}`, preserveAspectRatio: 'none' },
    svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'axis' }),
    svg('text', { x: 2, y: 10, class: 'chart-max' }, `max ${max}/min`),
    bars,
  );
}
