/**
 * The engine's state backend contract against the IndexedDB backend in real Chromium (real
 * IndexedDB, not fake-indexeddb): run by `npm run test:browser` (Vitest browser mode). Each
 * test gets its own database, deleted afterwards so repeated runs start clean.
 */
import { afterAll } from 'vitest';
import { describeStateBackendContract } from '../../engine/state/testing/backendContract';
import type { StateStorage } from '../../engine/state/types';
import { openIdbStateStorage } from '../IdbStateStorage';

const opened: StateStorage[] = [];
let counter = 0;
const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

describeStateBackendContract('idb (Chromium IndexedDB)', () => {
  const storage = openIdbStateStorage({ dbName: `sluice-contract-${runId}-${counter++}` });
  opened.push(storage);
  return storage;
});

afterAll(async () => {
  for (const storage of opened) await storage.dispose();
});
