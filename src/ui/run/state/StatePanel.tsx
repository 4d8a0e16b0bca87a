/**
 * The State panel in run mode (DESIGN.md §5 and §7): for a keyed operator, the key-group heat
 * map by owning subtask, the state backend's figures, lookup of a key's current state, and the
 * browser's storage persistence answer. It only renders what the cluster reports
 * (`metrics().state`) and asks (`lookupState`); it computes no engine semantics itself.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { formatCompact, formatExact, formatVirtualTime } from '../../model/runFormat';
import { useApp } from '../../store/appStore';
import { BackendFigures } from './BackendFigures';
import { heatMapModel, maxCellValue, type HeatMapModel, type HeatMeasure } from './heatMapModel';
import { HeatLegend, KeyGroupHeatMap } from './KeyGroupHeatMap';
import { formatBytes, formatRange } from './stateFormat';
import { useStoreLookup, type StateLookupFn } from './stateLookup';
import { keyedOperators } from './stateOperators';
import { StateLookupForm } from './StateLookupForm';
import { StateProcessor, type StateScanFn } from './StateProcessor';
import '../inspector/inspector.css';
import { StoragePersistenceNote } from './StoragePersistenceNote';
import { useStateRates } from './useStateRates';
import { bandColour, rowsText, type RescaleDiff } from '../viz/rescale';

/** Moves listed before "and N more". */
const MAX_MOVES = 6;

/** What the operator's latest rescale changed: who owns which key groups now, and that no rows moved. */
function RescaleDiffNote({ diff, maxParallelism }: { diff: RescaleDiff; maxParallelism: number }) {
  const listed = diff.moves.slice(0, MAX_MOVES);
  return (
    <div className="state-rescale-diff" data-testid="state-rescale-diff" role="status" data-from={diff.before.length} data-to={diff.after.length}
      data-moved-key-groups={diff.movedKeyGroups} data-rows-written={diff.rowsWritten ?? undefined}
      data-after={diff.after.map((b) => `${b.index}:${b.keyGroupStart}-${b.keyGroupEnd}`).join(',')}>
      <div>
        <strong>⇄ Rescaled {diff.before.length} → {diff.after.length}</strong> at {formatVirtualTime(diff.virtualTimeMs)}:{' '}
        {formatExact(diff.movedKeyGroups)} of {formatExact(maxParallelism)} key groups changed owner; {rowsText(diff)} — each key group’s rows stayed where they were.
      </div>
      <ul className="state-rescale-diff__moves" aria-label="Key groups that changed owner">
        {listed.map((m) => {
          const owner = (i: number) => (
            <><span className="state-rescale-diff__swatch" style={{ background: bandColour(i) }} aria-hidden="true" />#{i < 0 ? '?' : i}</>
          );
          return <li key={m.keyGroupStart}>kg {formatRange(m.keyGroupStart, m.keyGroupEnd)}: {owner(m.from)} → {owner(m.to)}</li>;
        })}
        {diff.moves.length > listed.length && <li>and {diff.moves.length - listed.length} more</li>}
      </ul>
    </div>
  );
}

function SubtaskTotals({ model }: { model: HeatMapModel }) {
  return (
    <table className="data-table data-table--numeric state-subtasks">
      <caption className="visually-hidden">Rows and bytes per subtask</caption>
      <thead>
        <tr>
          <th scope="col">subtask</th><th scope="col">TaskManager</th><th scope="col">key groups</th>
          <th scope="col">non-empty</th><th scope="col">rows</th><th scope="col">bytes</th>
        </tr>
      </thead>
      <tbody>
        {model.groups.map((g) => (
          <tr key={g.subtask} data-testid={`state-subtask-row-${g.subtask}`} data-entries={g.totalEntries}>
            <td>#{g.subtask}</td><td>{g.taskManager}</td><td>{formatRange(g.keyGroupStart, g.keyGroupEnd)}</td>
            <td>{formatExact(g.nonEmpty)}</td>
            <td title={formatExact(g.totalEntries)}>{formatCompact(g.totalEntries)}</td>
            <td>{g.totalBytes === null ? '—' : formatBytes(g.totalBytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MeasureToggle({ measure, hasBytes, onChange }: { measure: HeatMeasure; hasBytes: boolean; onChange(m: HeatMeasure): void }) {
  return (
    <div className="state-toggle" role="radiogroup" aria-label="Colour the key groups by">
      {(['entries', 'bytes'] as const).map((m) => (
        <button
          key={m}
          type="button"
          role="radio"
          aria-checked={measure === m}
          className={`btn state-toggle__option${measure === m ? ' is-pressed' : ''}`}
          data-testid={`state-measure-${m}`}
          disabled={m === 'bytes' && !hasBytes}
          title={m === 'bytes' && !hasBytes ? 'This backend reports no byte sizes' : undefined}
          onClick={() => onChange(m)}
        >
          {m === 'entries' ? 'Rows' : 'Bytes'}
        </button>
      ))}
    </div>
  );
}

export interface StatePanelProps {
  /** How keys are looked up; the app's running cluster when left out. */
  lookup?: StateLookupFn;
  /** How the state processor scans; the app's running cluster when left out. */
  scan?: StateScanFn;
}

export function StatePanel({ lookup, scan }: StatePanelProps) {
  const storeLookup = useStoreLookup();
  const job = useApp((s) => s.runJob);
  const state = useApp((s) => s.runMetrics?.state);
  const hasMetrics = useApp((s) => s.runMetrics !== null);
  const rates = useStateRates();
  const [chosen, setChosen] = useState<string | null>(null);
  const [measureChoice, setMeasure] = useState<HeatMeasure>('entries');
  const choices = useMemo(() => keyedOperators(job, state), [job, state]);
  const selected = choices.find((c) => c.id === chosen) ?? choices[0];
  const opState = state?.operators.find((o) => o.operatorId === selected?.id);
  const model = useMemo(() => (opState ? heatMapModel(opState) : null), [opState]);
  const rescale = useApp((s) => [...s.runRescales].reverse().find((r) => r.operatorId === selected?.id));
  const measure: HeatMeasure = measureChoice === 'bytes' && model?.hasBytes ? 'bytes' : 'entries';

  const panel = (body: ReactNode) => (
    <div className="state-panel" data-testid="state-panel">
      {body}
      <StoragePersistenceNote />
    </div>
  );

  if (!job) return panel(<p className="dock__empty" data-testid="state-empty">No run yet. Press Run to see the job’s keyed state.</p>);
  if (!selected) {
    return panel(
      <p className="dock__empty" data-testid="state-empty" data-reason="not-keyed">
        This job has no keyed operator, so it keeps no keyed state. Aggregate, Window and Deduplicate after a hash edge keep state per key.
      </p>,
    );
  }

  return panel(
    <>
      <div className="dock__toolbar state-panel__toolbar">
        <label className="state-panel__field">
          <span>Operator</span>
          <select className="input" data-testid="state-operator-select" value={selected.id} onChange={(e) => setChosen(e.target.value)} disabled={choices.length < 2}>
            {choices.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        {model && <MeasureToggle measure={measure} hasBytes={model.hasBytes} onChange={setMeasure} />}
        {model && <HeatLegend max={maxCellValue(model, measure)} measure={measure} />}
      </div>
      <div className="state-panel__body">
        <section className="state-panel__map" aria-label={`Key groups of ${selected.name}`}>
          {!model ? (
            <p className="dock__empty" data-testid="state-heatmap-empty">
              {hasMetrics && state ? 'No state figures for this operator yet.' : 'The cluster has not reported state figures yet.'}
            </p>
          ) : (
            <>
              <p className="state-panel__caption">
                {formatExact(model.maxParallelism)} key groups over {model.groups.length} {model.groups.length === 1 ? 'subtask' : 'subtasks'}
                {model.binSize > 1 && ` · ${model.binSize} key groups per cell`}
                {' · '}{formatExact(model.groups.reduce((n, g) => n + g.totalEntries, 0))} rows
              </p>
              {rescale && <RescaleDiffNote diff={rescale} maxParallelism={model.maxParallelism} />}
              <KeyGroupHeatMap model={model} measure={measure} operatorName={selected.name} rescale={rescale} />
              <SubtaskTotals model={model} />
            </>
          )}
        </section>
        <div className="state-panel__side">
          {state && <BackendFigures state={state} rates={rates} />}
          <StateLookupForm key={selected.id} operatorId={selected.id} operatorName={selected.name} lookup={lookup ?? storeLookup} />
        </div>
      </div>
      {opState && (
        <StateProcessor key={selected.id} operatorId={selected.id} operatorName={selected.name}
          maxParallelism={opState.maxParallelism} parallelism={opState.parallelism} {...(scan === undefined ? {} : { scan })} />
      )}
    </>,
  );
}
