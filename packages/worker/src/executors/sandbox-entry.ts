/**
 * The script a sandbox (a worker thread, or a child process forked with IPC) starts with: it
 * serves one attempt for its parent executor, then exits. Not meant to be run by hand.
 *
 * @packageDocumentation
 */
import { parentChannel } from './sandbox-channel';
import { serveSandbox } from './sandbox-child';

const channel = parentChannel();
if (channel) {
  serveSandbox(channel);
} else {
  process.stderr.write('sandbox-entry.js runs only as a Sundial sandbox (a worker thread or a forked process with IPC)\n');
  process.exitCode = 1;
}
