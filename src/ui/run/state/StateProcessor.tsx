/**
 * The State tab's state processor (seed 2): page through every key of the chosen keyed
 * operator (values as JSON, or keys only), each with its key group now and under another max
 * parallelism, and the subtask that would own it at a given parallelism; "Count all keys"
 * pages through keys only and tallies keys per recomputed key group and target subtask — what
 * a rescale beyond the current max parallelism would need. Asks `scanState`; computes nothing
 * of the key groups itself.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { StateScanOptions, StateScanPage } from '../../../engine/cluster/stateScan';
import { formatExact } from '../../model/runFormat';
import { useAppStore } from '../../store/appStore';
import { errorMessage } from '../clusterClient';
import { addPage, emptyTally, tallyFigures, valueJson, type ScanTally } from './stateScanModel';

export type StateScanFn = (operatorId: string, options: StateScanOptions) => Promise<StateScanPage>;

/** Keys-only page size for counting (the most a page may hold). */
const COUNT_PAGE = 10_000;
/** Target key groups listed in the tally. */
const LISTED = 48;

interface Props {
  operatorId: string;
  operatorName: string;
  maxParallelism: number;
  parallelism: number;
  scan?: StateScanFn;
}

function PageTable({ page }: { page: StateScanPage }) {
  if (page.rows.length === 0) return <p className="muted" data-testid="state-processor-empty">No rows: this operator holds no state yet.</p>;
  return (
    <div className="state-processor__rows">
      <table className="data-table" data-testid="state-processor-rows">
        <thead>
          <tr>
            <th scope="col">key</th><th scope="col">state</th><th scope="col">namespace</th><th scope="col">value</th>
            <th scope="col">key group</th><th scope="col">subtask</th>
            <th scope="col">key group at {formatExact(page.target.maxParallelism)}</th><th scope="col">subtask of {page.target.parallelism}</th>
          </tr>
        </thead>
        <tbody>
          {page.rows.map((r, i) => (
            <tr key={i} data-testid="state-processor-row" data-key-group={r.keyGroup} data-target-key-group={r.target.keyGroup}>
              <td className="mono" title={r.javaType}>{typeof r.key === 'string' ? JSON.stringify(r.key) : String(r.key)}</td>
              <td>{r.state}</td>
              <td>{r.namespace === '' ? <span className="muted">none</span> : r.namespace}</td>
              <td>{r.value === null ? <span className="muted">—</span> : <pre className="state-processor__value">{valueJson(r.value)}</pre>}</td>
              <td className="mono">{r.keyGroup}</td><td className="mono">#{r.subtask}</td>
              <td className="mono">{r.target.keyGroup}</td><td className="mono">#{r.target.subtask}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TallyView({ tally, done, target }: { tally: ScanTally; done: boolean; target: { maxParallelism: number; parallelism: number } }) {
  const f = tallyFigures(tally);
  const groups = [...tally.keysByKeyGroup].sort((a, b) => a[0] - b[0]);
  return (
    <div data-testid="state-processor-tally" data-keys={tally.keys} data-rows={tally.rows} data-key-groups={f.keyGroups} data-done={done}>
      <p>
        {done ? '' : 'Counting… '}{formatExact(tally.keys)} keys ({formatExact(tally.rows)} rows) fall in {formatExact(f.keyGroups)} of {formatExact(target.maxParallelism)} key groups
        at max parallelism {formatExact(target.maxParallelism)}{f.maxKeyGroup !== null && `; the fullest, ${f.maxKeyGroup}, holds ${formatExact(f.maxKeys)}`}.
      </p>
      <div className="state-processor__counts" aria-label={`Keys per subtask at parallelism ${target.parallelism}`}>
        <span className="muted">keys per subtask of {target.parallelism}:</span>
        {[...tally.keysBySubtask].sort((a, b) => a[0] - b[0]).map(([s, n]) => (
          <span key={s} className="state-processor__count" data-testid={`state-processor-subtask-${s}`}>#{s}: {formatExact(n)}</span>
        ))}
      </div>
      <div className="state-processor__counts" aria-label="Keys per recomputed key group">
        <span className="muted">keys per key group of {formatExact(target.maxParallelism)}:</span>
        {groups.slice(0, LISTED).map(([kg, n]) => <span key={kg} className="state-processor__count">kg {kg}: {n}</span>)}
        {groups.length > LISTED && <span className="muted">and {formatExact(groups.length - LISTED)} more key groups</span>}
      </div>
    </div>
  );
}

export function StateProcessor({ operatorId, operatorName, maxParallelism, parallelism, scan }: Props) {
  const store = useAppStore();
  const ask: StateScanFn = scan ?? ((op, options) => store.getState().queryRun(`scan the state of “${op}”`, (api) => api.scanState(op, options)));
  const [targetMax, setTargetMax] = useState(String(maxParallelism * 2));
  const [targetP, setTargetP] = useState(String(parallelism));
  const [limit, setLimit] = useState(50);
  const [keysOnly, setKeysOnly] = useState(false);
  const [page, setPage] = useState<StateScanPage | null>(null);
  const [tally, setTally] = useState<{ tally: ScanTally; done: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const request = useRef(0);
  const id = useId();

  const options = (): StateScanOptions => ({ maxParallelism: Number(targetMax), parallelism: Number(targetP) });
  const run = async (work: (mine: number) => Promise<void>) => {
    const mine = ++request.current;
    setBusy(true);
    setError(null);
    try {
      await work(mine);
    } catch (e) {
      if (request.current === mine) setError(errorMessage(e));
    } finally {
      if (request.current === mine) setBusy(false);
    }
  };
  const fetchPage = (cursor: string | null) => run(async (mine) => {
    const result = await ask(operatorId, { ...options(), limit, values: !keysOnly, cursor });
    if (request.current === mine) setPage(result);
  });
  const countAll = () => run(async (mine) => {
    const counted = emptyTally();
    let cursor: string | null = null;
    do {
      const result: StateScanPage = await ask(operatorId, { ...options(), limit: COUNT_PAGE, values: false, cursor });
      if (request.current !== mine) return;
      addPage(counted, result.rows);
      cursor = result.cursor;
      setTally({ tally: counted, done: cursor === null });
    } while (cursor !== null);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void fetchPage(null);
  };

  return (
    <section className="state-processor" aria-labelledby={`${id}-h`} data-testid="state-processor">
      <h3 className="panel-heading" id={`${id}-h`}>State processor: every key of {operatorName}</h3>
      <form className="state-processor__form" onSubmit={submit}>
        <label className="state-lookup__mode" htmlFor={`${id}-max`}>
          <span title={`Key groups now: ${maxParallelism}`}>max parallelism</span>
          <input id={`${id}-max`} className="input" type="number" min={1} max={32768} data-testid="state-processor-max-parallelism"
            value={targetMax} onChange={(e) => setTargetMax(e.target.value)} />
        </label>
        <label className="state-lookup__mode" htmlFor={`${id}-p`}>
          <span>parallelism</span>
          <input id={`${id}-p`} className="input" type="number" min={1} data-testid="state-processor-parallelism" value={targetP} onChange={(e) => setTargetP(e.target.value)} />
        </label>
        <label className="state-lookup__mode">
          <span>rows per page</span>
          <select className="input" data-testid="state-processor-limit" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {[20, 50, 200, 1000].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label className="state-lookup__mode">
          <input type="checkbox" data-testid="state-processor-keys-only" checked={keysOnly} onChange={(e) => setKeysOnly(e.target.checked)} />
          <span>keys only</span>
        </label>
        <button type="submit" className="btn btn--primary" data-testid="state-processor-scan" disabled={busy}>Scan</button>
        <button type="button" className="btn" data-testid="state-processor-next" disabled={busy || page?.cursor == null} onClick={() => void fetchPage(page?.cursor ?? null)}>Next page</button>
        <button type="button" className="btn" data-testid="state-processor-count" disabled={busy} onClick={() => void countAll()}>Count all keys</button>
      </form>
      <p className="muted">Now {formatExact(maxParallelism)} key groups over {parallelism} subtasks; a rescale past {formatExact(maxParallelism)} subtasks needs the keys regrouped as shown.</p>
      <div aria-live="polite">
        {error && <p className="state-lookup__error" role="alert" data-testid="state-processor-error">{error}</p>}
        {tally && <TallyView tally={tally.tally} done={tally.done} target={{ maxParallelism: Number(targetMax), parallelism: Number(targetP) }} />}
        {page && (
          <p className="muted" data-testid="state-processor-page">
            {formatExact(page.rows.length)} rows, {formatExact(page.keyGroupsRead)} key groups read{page.cursor === null ? ' · last page' : ''}
          </p>
        )}
      </div>
      {page && <PageTable page={page} />}
    </section>
  );
}
