/** Reports a failed run action (a refused fault, a speed change the cluster rejected) as a toast. */
import type { AppStore } from '../store/appStore';
import { errorMessage } from './clusterClient';

export function reportFailure(store: AppStore, what: string, promise: Promise<unknown>): void {
  promise.catch((error: unknown) => store.getState().toast(`${what} failed: ${errorMessage(error)}`, 'error'));
}
