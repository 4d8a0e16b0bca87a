/**
 * "What is this key's state?": type a key, press Enter, and read where it lives (key group,
 * subtask, TaskManager) and its rows in every state of the operator. The key is read as a
 * number or as text (guessed, or chosen), because keyBy tells 42 from "42".
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { StateLookup } from '../../../engine/runtime/telemetry';
import { describeKey, parseLookupKey, prettyValue, type KeyMode } from './stateFormat';
import { lookupErrorMessage, type StateLookupFn } from './stateLookup';

type Outcome =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'found'; lookup: StateLookup; mode: KeyMode }
  | { kind: 'error'; message: string };

function LookupResult({ lookup, mode, operatorName }: { lookup: StateLookup; mode: KeyMode; operatorName: string }) {
  const found = lookup.entries.length > 0;
  return (
    <div className="state-lookup__result" data-testid="state-lookup-result" data-found={found} data-key-group={lookup.keyGroup} data-subtask={lookup.subtask}>
      <p className="state-lookup__where">
        <span>{describeKey(lookup.key)} in {operatorName}</span>
        <span>key group <strong data-testid="state-lookup-key-group">{lookup.keyGroup}</strong></span>
        <span>subtask <strong data-testid="state-lookup-subtask">#{lookup.subtask}</strong></span>
        <span>TaskManager <strong>{lookup.taskManager}</strong></span>
      </p>
      {found ? (
        <table className="data-table state-lookup__rows">
          <thead><tr><th scope="col">state</th><th scope="col">namespace</th><th scope="col">value</th></tr></thead>
          <tbody>
            {lookup.entries.map((e, i) => (
              <tr key={i} data-testid="state-lookup-row">
                <td>{e.state}</td>
                <td>{e.namespace === '' ? <span className="muted">none</span> : e.namespace}</td>
                <td><pre className="state-lookup__value">{prettyValue(e.value)}</pre></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="state-lookup__none" data-testid="state-lookup-empty">
          Nothing stored for this key.
          {mode === 'auto' && typeof lookup.key === 'number' && ' It was read as a number; if this operator’s keys are text, choose “Text” and look it up again.'}
          {mode === 'auto' && typeof lookup.key === 'string' && ' Keys are matched exactly, including case and spaces.'}
        </p>
      )}
    </div>
  );
}

export interface StateLookupFormProps {
  operatorId: string;
  operatorName: string;
  lookup: StateLookupFn;
}

export function StateLookupForm({ operatorId, operatorName, lookup }: StateLookupFormProps) {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<KeyMode>('auto');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const request = useRef(0);
  const id = useId();

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const parsed = parseLookupKey(text, mode);
    const mine = ++request.current;
    if (!parsed.ok) {
      setOutcome({ kind: 'error', message: parsed.message });
      return;
    }
    setOutcome({ kind: 'pending' });
    lookup(operatorId, parsed.key).then(
      (result) => {
        if (request.current === mine) setOutcome({ kind: 'found', lookup: result, mode });
      },
      (error: unknown) => {
        if (request.current === mine) setOutcome({ kind: 'error', message: lookupErrorMessage(error) });
      },
    );
  };

  return (
    <section className="state-lookup" aria-labelledby={`${id}-h`}>
      <h3 className="panel-heading" id={`${id}-h`}>Look up a key</h3>
      <form className="state-lookup__form" onSubmit={submit} data-testid="state-lookup-form">
        <label className="visually-hidden" htmlFor={`${id}-key`}>Key of {operatorName}</label>
        <input
          id={`${id}-key`}
          className="input state-lookup__input"
          data-testid="state-lookup-input"
          value={text}
          placeholder={`A key of ${operatorName}, e.g. apple or 42`}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
        />
        <label className="state-lookup__mode">
          <span>read as</span>
          <select
            className="input"
            data-testid="state-lookup-type"
            value={mode}
            title="auto reads whole numbers such as 42 as number keys and anything else as text"
            onChange={(e) => setMode(e.target.value as KeyMode)}
          >
            <option value="auto">auto</option>
            <option value="text">text</option>
            <option value="number">number</option>
          </select>
        </label>
        <button type="submit" className="btn btn--primary" data-testid="state-lookup-submit" disabled={outcome.kind === 'pending'}>
          Look up
        </button>
      </form>
      <div aria-live="polite">
        {outcome.kind === 'pending' && <p className="muted state-lookup__note">Asking the cluster…</p>}
        {outcome.kind === 'error' && <p className="state-lookup__error" data-testid="state-lookup-error" role="alert">{outcome.message}</p>}
        {outcome.kind === 'found' && <LookupResult lookup={outcome.lookup} mode={outcome.mode} operatorName={operatorName} />}
      </div>
    </section>
  );
}
