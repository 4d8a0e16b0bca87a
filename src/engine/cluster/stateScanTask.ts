/**
 * The TaskManager's half of the state processor (`scan-state`, runtime/protocol.ts): one page
 * of every row of one hosted keyed subtask, read between ticks through the backend's
 * `rowsOfKeyGroups` (which fills no cache, so the job's working set stays where it was).
 *
 * Order, and why pages can resume: key groups ascending; inside one, rows sorted by `userKey`
 * then state name in plain string order. A page ends after `limit` rows and says where the next
 * begins (the key group, and the last row returned when it stopped inside one). Key groups are
 * read a few at a time, so a page costs the key groups it touches, not the subtask's state.
 */
import type { KeyGroupRange } from '../keygroups/keyGroups';
import type { ScanStateMessage, StateScanReply } from '../runtime/protocol';
import type { KeyedStateBackend } from '../state/types';

/** Key groups per backend read: one IndexedDB transaction each. */
export const KEY_GROUPS_PER_READ = 16;

type Row = [stateName: string, userKey: string, value: unknown];

function compareRows(a: Row, b: Row): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return 0;
}

/** True when row `r` comes after the resume point `[userKey, stateName]`. */
function isAfter(r: Row, after: readonly [string, string]): boolean {
  return compareRows(r, [after[1], after[0], undefined]) > 0;
}

/**
 * One page of `backend`'s rows (see the module comment). Rejects on a storage error; the
 * caller turns that into a failed reply.
 */
export async function scanPage(
  backend: KeyedStateBackend,
  message: ScanStateMessage,
  taskManager: number,
): Promise<Extract<StateScanReply, { ok: true }>> {
  const read = backend.rowsOfKeyGroups?.bind(backend);
  if (read === undefined) throw Object.assign(new Error('This state backend cannot list its rows.'), { code: 'state.scan.unsupported' });
  const range: KeyGroupRange = backend.keyGroupRange;
  const limit = Math.max(1, Math.floor(message.limit));
  const rows: Extract<StateScanReply, { ok: true }>['rows'] = [];
  let keyGroup = Math.max(range.start, message.fromKeyGroup);
  let keyGroupsRead = 0;
  while (keyGroup <= range.end) {
    const batch: number[] = [];
    for (let kg = keyGroup; kg <= range.end && batch.length < KEY_GROUPS_PER_READ; kg++) batch.push(kg);
    const groups = await read(batch);
    for (const { keyGroup: kg, rows: found } of groups) {
      keyGroupsRead++;
      const sorted = [...found].sort(compareRows);
      const after = kg === message.fromKeyGroup ? message.after : undefined;
      for (const row of sorted) {
        if (after !== undefined && !isAfter(row, after)) continue;
        rows.push([kg, row[0], row[1], message.values ? row[2] : null]);
        if (rows.length >= limit) {
          return { type: 'state-scan', taskManager, requestId: message.requestId, ok: true, rows, next: { keyGroup: kg, after: [row[1], row[0]] }, keyGroupsRead };
        }
      }
    }
    keyGroup = (batch[batch.length - 1] as number) + 1;
  }
  return { type: 'state-scan', taskManager, requestId: message.requestId, ok: true, rows, next: null, keyGroupsRead };
}
