import { DashboardApp } from './app';
import { startCountdowns } from './countdowns';

const root = document.getElementById('app');
if (root) {
  new DashboardApp(root).start();
  startCountdowns();
}
