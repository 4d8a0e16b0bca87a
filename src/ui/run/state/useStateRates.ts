/**
 * IndexedDB rates for the State panel: each telemetry frame's cumulative state counters are
 * sampled with the wall time they arrived at, summed and per TaskManager, and the rates are
 * the growth over the last couple of wall seconds (see stateFigures.ts). When no frame comes
 * for a while (a paused run sends none), the last figures are sampled again, so the rates fall
 * to zero instead of freezing at their last value.
 */
import { useEffect, useState } from 'react';
import type { StateMetrics } from '../../../engine/runtime/telemetry';
import { useAppStore } from '../../store/appStore';
import { addSample, ratesOf, sampleOf, type FigureSample, type StateRates } from './stateFigures';

export interface StateRateSet {
  total: StateRates | null;
  perTaskManager: ReadonlyMap<number, StateRates | null>;
}

const NONE: StateRateSet = { total: null, perTaskManager: new Map() };

/** Wall ms without a frame after which the last figures are sampled again. */
const QUIET_MS = 1000;

/** Rates from the store's telemetry, updated as frames arrive (sampled from mount on). */
export function useStateRates(): StateRateSet {
  const store = useAppStore();
  const [rates, setRates] = useState<StateRateSet>(NONE);
  useEffect(() => {
    let total: FigureSample[] = [];
    const perTm = new Map<number, FigureSample[]>();
    let last: StateMetrics | undefined;
    let lastWallMs = 0;
    const take = (state: StateMetrics | undefined, again = false) => {
      if (state === last && !again) return;
      last = state;
      if (!state) {
        total = [];
        perTm.clear();
        setRates(NONE);
        return;
      }
      const now = performance.now();
      lastWallMs = now;
      total = addSample(total, sampleOf(state.figures, now));
      const next = new Map<number, StateRates | null>();
      for (const tm of state.perTaskManager) {
        const window = addSample(perTm.get(tm.taskManager) ?? [], sampleOf(tm.figures, now));
        perTm.set(tm.taskManager, window);
        next.set(tm.taskManager, ratesOf(window));
      }
      setRates({ total: ratesOf(total), perTaskManager: next });
    };
    take(store.getState().runMetrics?.state);
    const unsubscribe = store.subscribe((s) => take(s.runMetrics?.state));
    const timer = setInterval(() => {
      if (last && performance.now() - lastWallMs >= QUIET_MS) take(last, true);
    }, QUIET_MS / 2);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [store]);
  return rates;
}
