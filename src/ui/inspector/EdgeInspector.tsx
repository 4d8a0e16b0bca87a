/** The inspector for one edge: partitioner, key (hash only), problems, delete. */
import { PARTITIONERS, type Partitioner } from '../../engine';
import { edgeFieldPath } from '../model/errorIndex';
import { findEdge, removeEdges, setEdgeKey, setPartitioner } from '../model/edges';
import { useApp, useAppStore } from '../store/appStore';
import { useEdgeErrors } from '../store/useDerived';
import { SelectField } from './fields/SelectField';
import { TextField } from './fields/TextField';
import { ProblemList } from './ProblemList';
import { unplacedErrors, useFieldMessages } from './useFieldMessages';

export const PARTITIONER_HELP: Record<Partitioner, string> = {
  forward: 'Subtask i sends to subtask i (pointwise); needs equal parallelism.',
  hash: "Each record goes to the subtask that owns its key's key group (keyBy; all-to-all).",
  rebalance: 'Round-robin over every downstream subtask (all-to-all).',
  rescale: 'Round-robin within a local group of downstream subtasks (pointwise).',
  broadcast: 'Every record goes to every downstream subtask (all-to-all).',
  global: 'Every record goes to downstream subtask 0 (all-to-all).',
};

export function EdgeInspector({ id }: { id: string }) {
  const store = useAppStore();
  const job = useApp((s) => s.job);
  const errors = useEdgeErrors(id);
  const messagesAt = useFieldMessages();
  const edge = findEdge(job, id);
  if (!edge) return null;
  const path = (field: string) => edgeFieldPath(job, id, field);
  const edit = (fn: (j: typeof job) => typeof job, coalesce?: string) => {
    const s = store.getState();
    s.commit(fn(s.job), coalesce ? { coalesce } : {});
  };
  const name = (opId: string) => job.operators.find((o) => o.id === opId)?.name ?? opId;
  const shown = [path('partitioner'), edge.partitioner === 'hash' ? path('key') : null];
  return (
    <div className="inspector__content" data-testid="inspector-edge">
      <header className="inspector__header">
        <div>
          <h2 className="inspector__title">Edge</h2>
          <p className="inspector__subtitle">
            <button type="button" className="link" onClick={() => store.getState().select([edge.from])}>{name(edge.from)}</button>
            {' → '}
            <button type="button" className="link" onClick={() => store.getState().select([edge.to])}>{name(edge.to)}</button>
          </p>
        </div>
      </header>
      <ProblemList errors={unplacedErrors(errors, shown)} />
      <section className="inspector__section" aria-label="Edge settings">
        <SelectField
          testId="inspector-partitioner" label="Partitioner" value={edge.partitioner}
          options={PARTITIONERS.map((p) => ({ value: p, label: p }))}
          help={PARTITIONER_HELP[edge.partitioner]} messages={messagesAt(path('partitioner'))}
          onChange={(v) => edit((j) => setPartitioner(j, id, v as Partitioner))}
        />
        {edge.partitioner === 'hash' && (
          <TextField
            testId="inspector-key" label="Key" mono value={edge.key ?? ''}
            help="Record field or expression to key by, e.g. key." messages={messagesAt(path('key'))}
            onChange={(v, c) => edit((j) => setEdgeKey(j, id, v), c)}
          />
        )}
      </section>
      <section className="inspector__section">
        <button type="button" className="btn btn--danger" data-testid="inspector-delete-edge"
          onClick={() => edit((j) => removeEdges(j, [id]))}>
          Delete edge
        </button>
      </section>
    </div>
  );
}
