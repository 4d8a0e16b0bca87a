/**
 * Test support: a HostClock for Node tests. Wall time from `process.hrtime`; `sleep(0)` yields
 * to the event loop with `setImmediate` (no 1 ms timer floor at speed 'max'), longer sleeps
 * use Node's promise timer.
 */
import { setImmediate as nextTurn, setTimeout as wait } from 'node:timers/promises';
import type { HostClock } from '../LocalCluster';

export const nodeClock: HostClock = {
  now: () => Number(process.hrtime.bigint()) / 1e6,
  sleep: async (ms) => {
    if (ms <= 0) await nextTurn();
    else await wait(ms);
  },
};
