/**
 * Draining a TaskManager for maintenance from the UI (Cluster tab, Faults panel): one
 * command, so both places say the same, and the cluster's refusal (e.g. too few free slots,
 * with how many are needed and free) reaches the user as a toast.
 */
import type { AppStore } from '../../store/appStore';
import { reportFailure } from '../report';

/** Drains TaskManager `tm` (or, with `back`, returns it to service); resolves when the job runs again. */
export function drainFromUi(store: AppStore, tm: number, back = false): void {
  const what = back ? `Return TaskManager ${tm} to service` : `Drain TaskManager ${tm}`;
  const run = store.getState()
    .queryRun(what, (api) => (back ? api.undrainTaskManager(tm) : api.drainTaskManager(tm)))
    .then(() => store.getState().toast(`${what}: done.`));
  reportFailure(store, what, run);
}

/** The tooltip of a drain button. */
export function drainTitle(tm: number, drained: boolean): string {
  return drained
    ? `Return TaskManager ${tm} to service: stop with a checkpoint and spread the job over every TaskManager again`
    : `Drain TaskManager ${tm} for maintenance: stop with a checkpoint, move its subtasks to the other TaskManagers, restore; it stays up, idle`;
}
