/**
 * Asks the browser, once per page, to keep Sluice's storage (keyed state lives in IndexedDB)
 * out of eviction under storage pressure (`navigator.storage.persist()`), and reads how much
 * of the origin's quota is used (`navigator.storage.estimate()`). The answer is shown, because
 * best-effort storage means a checkpoint's state may vanish and the user should know.
 *
 * The request happens when run mode first opens (the run dock calls the hook); every reader
 * shares the one answer. Browsers without the Storage API get a plain "not available" answer.
 */
import { useEffect, useSyncExternalStore } from 'react';

export type PersistenceAnswer =
  | { status: 'pending' }
  | { status: 'granted' }
  | { status: 'best-effort' }
  | { status: 'unavailable'; reason: string };

export interface StorageEstimateFigures {
  usageBytes: number;
  quotaBytes: number;
}

export interface StoragePersistence {
  answer: PersistenceAnswer;
  estimate: StorageEstimateFigures | null;
}

interface StorageLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

let current: StoragePersistence = { answer: { status: 'pending' }, estimate: null };
let requested = false;
const listeners = new Set<() => void>();

function publish(next: Partial<StoragePersistence>): void {
  current = { ...current, ...next };
  for (const listener of listeners) listener();
}

function storageApi(): StorageLike | null {
  if (typeof navigator === 'undefined') return null;
  return (navigator as Navigator & { storage?: StorageLike }).storage ?? null;
}

/** Reads usage and quota again (state grows while a job runs). */
export async function refreshStorageEstimate(): Promise<void> {
  const storage = storageApi();
  if (!storage?.estimate) return;
  try {
    const { usage, quota } = await storage.estimate();
    if (typeof usage === 'number' && typeof quota === 'number') publish({ estimate: { usageBytes: usage, quotaBytes: quota } });
  } catch {
    // An estimate is a nicety; the panel simply shows none.
  }
}

/** Sends the persistence request once per page; later calls do nothing. */
export function requestStoragePersistence(): void {
  if (requested) return;
  requested = true;
  const storage = storageApi();
  if (!storage?.persist) {
    publish({ answer: { status: 'unavailable', reason: 'This browser has no storage persistence API (navigator.storage.persist).' } });
  } else {
    storage.persist().then(
      (granted) => publish({ answer: { status: granted ? 'granted' : 'best-effort' } }),
      (error: unknown) => publish({ answer: { status: 'unavailable', reason: `The browser refused the request: ${error instanceof Error ? error.message : String(error)}` } }),
    );
  }
  void refreshStorageEstimate();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => current;

/** The persistence answer and storage estimate; the first caller on the page sends the request. */
export function useStoragePersistence(): StoragePersistence {
  useEffect(() => requestStoragePersistence(), []);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** Forgets the answer (tests). */
export function resetStoragePersistenceForTests(): void {
  requested = false;
  current = { answer: { status: 'pending' }, estimate: null };
}
