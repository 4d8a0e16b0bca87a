/**
 * The State panel's "look up a key": one function from (operator, key) to the cluster's
 * answer, injected so tests and other hosts can pass their own. The app's default asks the
 * running cluster through the run slice's one session (`queryRun`), like `window.sluice` does.
 */
import { useMemo } from 'react';
import type { StateLookup } from '../../../engine/runtime/telemetry';
import { useAppStore, type AppStore } from '../../store/appStore';

export type StateLookupFn = (operatorId: string, key: string | number) => Promise<StateLookup>;

/** Looks a key up in the store's running cluster; rejects with the slice's message when none runs. */
export function lookupThroughStore(store: AppStore): StateLookupFn {
  return (operatorId, key) =>
    store.getState().queryRun(`look up a key of “${operatorId}”`, (api) => api.lookupState(operatorId, key));
}

/** The app's lookup: the store's running cluster. */
export function useStoreLookup(): StateLookupFn {
  const store = useAppStore();
  return useMemo(() => lookupThroughStore(store), [store]);
}

/**
 * A lookup failure as the panel says it. A cluster older than the lookup (no such method on
 * the worker) gets a sentence rather than a TypeError.
 */
export function lookupErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/is not a function/i.test(message)) {
    return 'This cluster cannot look up keys yet (its JobManager has no state lookup).';
  }
  return message;
}
