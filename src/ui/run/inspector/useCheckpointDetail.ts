/**
 * The inspector's data: the detail of one retained checkpoint, asked of the running cluster
 * (`checkpointDetail`) when the selection changes or a new checkpoint completes. The UI
 * computes nothing of it; it only renders.
 */
import { useEffect, useState } from 'react';
import type { CheckpointDetail } from '../../../engine/checkpoint/inspect';
import { useApp, useAppStore } from '../../store/appStore';
import { errorMessage } from '../clusterClient';

export type DetailState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; detail: CheckpointDetail }
  | { kind: 'error'; message: string };

export function useCheckpointDetail(checkpointId: number | null): { state: DetailState; reload(): void } {
  const store = useAppStore();
  const latest = useApp((s) => s.runCheckpoints?.summary.latestCompletedId ?? null);
  const connected = useApp((s) => s.runActive);
  const [state, setState] = useState<DetailState>({ kind: 'idle' });
  const [nonce, setNonce] = useState(0);
  // Following the latest: ask again whenever another checkpoint completes.
  const trigger = checkpointId === null ? latest : checkpointId;
  useEffect(() => {
    if (!connected || latest === null) {
      setState({ kind: 'idle' });
      return;
    }
    let current = true;
    setState((s) => (s.kind === 'ready' ? s : { kind: 'loading' }));
    const id = checkpointId ?? undefined;
    store.getState().queryRun('inspect a checkpoint', (api) => api.checkpointDetail(id)).then(
      (detail) => {
        if (current) setState({ kind: 'ready', detail });
      },
      (error: unknown) => {
        if (current) setState({ kind: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [store, connected, latest, trigger, checkpointId, nonce]);
  return { state, reload: () => setNonce((n) => n + 1) };
}
