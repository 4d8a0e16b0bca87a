/**
 * The state backend at work (DESIGN.md §5, last bullet): cache hit ratio, Bloom-filter
 * negatives, IndexedDB transactions and rows per wall second, mean write-batch size, why
 * batches were flushed, cache fill and what still waits in write batches; summed over live
 * TaskManagers, and per TaskManager on request. The memory backend has none of these
 * mechanisms and says so rather than showing zeros.
 */
import type { ReactNode } from 'react';
import type { StateMetrics } from '../../../engine/runtime/telemetry';
import type { StateStorageFigures } from '../../../engine/state/types';
import { formatCompact, formatExact, formatRate } from '../../model/runFormat';
import {
  bloomServedRatio, cacheFill, cacheHitRatio, FLUSH_CAUSES, meanBatchSize, type StateRates,
} from './stateFigures';
import { formatMean, formatPercent } from './stateFormat';
import type { StateRateSet } from './useStateRates';

function Figure({ name, label, value, raw, children }: { name: string; label: string; value: string; raw: number | null; children?: ReactNode }) {
  return (
    <div className="state-figure" data-testid={`state-figure-${name}`} data-value={raw ?? ''}>
      <span className="state-figure__label">{label}</span>
      <strong className="state-figure__value">{value}</strong>
      {children && <span className="state-figure__sub">{children}</span>}
    </div>
  );
}

const rate = (r: StateRates | null | undefined, pick: (r: StateRates) => number) => (r ? formatRate(pick(r)) : '—');

function FlushCauses({ f }: { f: StateStorageFigures }) {
  const total = FLUSH_CAUSES.reduce((n, c) => n + f.flushCauses[c], 0);
  return (
    <div className="state-figure state-figure--wide" data-testid="state-figure-flush-causes" data-value={total}>
      <span className="state-figure__label">Flush causes</span>
      <span className="flush-bar" aria-hidden="true">
        {FLUSH_CAUSES.map((c) => (total > 0 && f.flushCauses[c] > 0 ? (
          <span key={c} className={`flush-bar__part flush-bar__part--${c}`} style={{ flexGrow: f.flushCauses[c] }} />
        ) : null))}
      </span>
      <span className="flush-causes">
        {FLUSH_CAUSES.map((c) => (
          <span key={c} className="flush-causes__item" data-testid={`state-figure-flush-${c}`} data-value={f.flushCauses[c]}>
            <span className={`flush-causes__key flush-bar__part--${c}`} aria-hidden="true" />{c} <strong>{formatExact(f.flushCauses[c])}</strong>
          </span>
        ))}
      </span>
    </div>
  );
}

function PerTaskManager({ state, rates }: { state: StateMetrics; rates: StateRateSet }) {
  return (
    <details className="state-figures__per-tm" data-testid="state-figure-per-taskmanager">
      <summary>Per TaskManager ({state.perTaskManager.length})</summary>
      <div className="state-figures__scroll">
        <table className="data-table data-table--numeric">
          <thead>
            <tr>
              <th scope="col">TM</th><th scope="col">cache hits</th><th scope="col">Bloom neg.</th><th scope="col">tx/s</th>
              <th scope="col">rows/s</th><th scope="col">mean batch</th><th scope="col" title="size / latency / checkpoint / close">flushes s/l/c/c</th>
              <th scope="col">cache fill</th><th scope="col">unflushed</th>
            </tr>
          </thead>
          <tbody>
            {state.perTaskManager.map(({ taskManager, figures: f }) => {
              const r = rates.perTaskManager.get(taskManager);
              return (
                <tr key={taskManager} data-testid={`state-tm-${taskManager}`}>
                  <td>{taskManager}</td>
                  <td>{formatPercent(cacheHitRatio(f))}</td>
                  <td>{formatCompact(f.bloomNegatives)}</td>
                  <td>{rate(r, (x) => x.transactionsPerSecond)}</td>
                  <td>{rate(r, (x) => x.rowsWrittenPerSecond)}</td>
                  <td>{formatMean(meanBatchSize(f))}</td>
                  <td>{FLUSH_CAUSES.map((c) => f.flushCauses[c]).join(' / ')}</td>
                  <td>{formatPercent(cacheFill(f))}</td>
                  <td>{formatExact(f.unflushedEntries)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function BackendFigures({ state, rates }: { state: StateMetrics; rates: StateRateSet }) {
  if (state.backend === 'memory') {
    return (
      <section className="state-figures" aria-label="State backend">
        <p className="state-figures__memory" data-testid="state-figure-backend" data-backend="memory">
          In-memory backend: no cache, Bloom filter or IndexedDB
        </p>
      </section>
    );
  }
  const f = state.figures;
  const r = rates.total;
  const hit = cacheHitRatio(f);
  const bloom = bloomServedRatio(f);
  const batch = meanBatchSize(f);
  const fill = cacheFill(f);
  return (
    <section className="state-figures" aria-label="State backend">
      <p className="state-figures__backend" data-testid="state-figure-backend" data-backend="idb">
        IndexedDB backend · {state.perTaskManager.length} {state.perTaskManager.length === 1 ? 'TaskManager' : 'TaskManagers'}
      </p>
      <div className="state-figures__grid">
        <Figure name="hit-ratio" label="Cache hit ratio" value={formatPercent(hit)} raw={hit}>
          {formatCompact(f.cacheHits)} hits · {formatCompact(f.cacheMisses)} misses
        </Figure>
        <Figure name="bloom-negatives" label="Bloom negatives served" value={formatCompact(f.bloomNegatives)} raw={f.bloomNegatives}>
          {bloom === null ? 'no absent-key reads yet' : `${formatPercent(bloom)} of absent keys, no IDB read`}
        </Figure>
        <Figure name="idb-transactions-rate" label="IndexedDB transactions/s" value={rate(r, (x) => x.transactionsPerSecond)} raw={r?.transactionsPerSecond ?? null}>
          {formatCompact(f.idbTransactions)} in all
        </Figure>
        <Figure name="idb-rows-rate" label="IndexedDB rows/s written" value={rate(r, (x) => x.rowsWrittenPerSecond)} raw={r?.rowsWrittenPerSecond ?? null}>
          read {rate(r, (x) => x.rowsReadPerSecond)} · {formatCompact(f.idbRowsWritten)} written in all
        </Figure>
        <Figure name="mean-batch" label="Mean batch size" value={formatMean(batch)} raw={batch}>
          {formatCompact(f.flushedEntries)} entries in {formatCompact(f.flushes)} flushes
        </Figure>
        <Figure name="cache-fill" label="Cache fill" value={formatPercent(fill)} raw={fill}>
          {formatCompact(f.cacheEntries)} of {formatCompact(f.cacheCapacity)} entries
        </Figure>
        <Figure name="unflushed" label="Unflushed entries" value={formatExact(f.unflushedEntries)} raw={f.unflushedEntries}>
          waiting in write batches
        </Figure>
        <FlushCauses f={f} />
      </div>
      <PerTaskManager state={state} rates={rates} />
    </section>
  );
}
