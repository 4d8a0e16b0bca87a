/** Reports the outcome of run actions started from the UI (a refused fault, a speed change the cluster rejected) as toasts. */
import type { Fault } from '../../engine/runtime/telemetry';
import type { AppStore } from '../store/appStore';
import { errorMessage } from './clusterClient';

export function reportFailure(store: AppStore, what: string, promise: Promise<unknown>): void {
  promise.catch((error: unknown) => store.getState().toast(`${what} failed: ${errorMessage(error)}`, 'error'));
}

/**
 * Injects a fault from a UI control. Faults take effect at the start of the next tick (so a
 * run replays them at the same virtual instant); while the run is paused, say so.
 */
export function injectFromUi(store: AppStore, what: string, fault: Fault): void {
  const run = store.getState().injectFault(fault).then(() => {
    if (store.getState().runStatus.state === 'paused') {
      store.getState().toast(`${what}: takes effect when the run goes on (Resume or Step).`);
    }
  });
  reportFailure(store, what, run);
}
