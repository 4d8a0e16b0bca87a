/**
 * The operator id, editable. A valid, unused id is applied live (edges, layout and the
 * selection follow); anything else shows why and is not applied. Leaving the field shows
 * the id in effect again.
 */
import { useState } from 'react';
import { renameOperatorId } from '../model/operators';
import { useAppStore } from '../store/appStore';
import { Field } from './fields/Field';
import { useEditSession } from './useEditSession';

export function IdField({ id, messages }: { id: string; messages: readonly string[] }) {
  const store = useAppStore();
  const session = useEditSession();
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const rename = (text: string) => {
    setDraft(text);
    const s = store.getState();
    const result = renameOperatorId(s.job, id, text);
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setProblem(null);
    const operators = s.selectedOperators.map((x) => (x === id ? text : x));
    s.commit(result.job, { coalesce: session.key(), select: { operators, edge: null } });
  };
  const shown = problem ? [problem, ...messages] : messages;
  return (
    <Field label="Id" help="Unique in the job; edges and the layout refer to it." messages={shown}>
      {(a11y) => (
        <input
          {...a11y}
          data-testid="inspector-id"
          className="input input--mono"
          type="text"
          spellCheck={false}
          value={draft ?? id}
          onFocus={session.onFocus}
          onBlur={() => {
            session.onBlur();
            setDraft(null);
            setProblem(null);
          }}
          onChange={(e) => rename(e.target.value)}
        />
      )}
    </Field>
  );
}
