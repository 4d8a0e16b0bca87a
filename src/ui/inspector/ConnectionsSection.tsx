/**
 * An operator's connections: "Connect to…" lists the operators it can feed (adding an edge
 * with a sensible default partitioner), and its input and output edges, each selectable.
 */
import { CATALOGUE, edgeId, type EdgeSpec } from '../../engine';
import { connect, connectTargets, edgesOf } from '../model/edges';
import { useApp, useAppStore } from '../store/appStore';
import { useErrorIndex } from '../store/useDerived';
import { Field } from './fields/Field';

function EdgeRow({ edge }: { edge: EdgeSpec }) {
  const store = useAppStore();
  const id = edgeId(edge);
  const invalid = (useErrorIndex().byEdge.get(id)?.length ?? 0) > 0;
  return (
    <li>
      <button
        type="button"
        className={`edge-row${invalid ? ' has-errors' : ''}`}
        data-testid={`inspector-edge-${edge.from}-${edge.to}`}
        onClick={() => store.getState().select([], id)}
      >
        <span className="edge-row__ends">{edge.from} → {edge.to}</span>
        <span className="edge-row__partitioner">{edge.partitioner}{edge.partitioner === 'hash' && edge.key !== undefined ? ` · ${edge.key}` : ''}</span>
      </button>
    </li>
  );
}

function EdgeList({ title, edges }: { title: string; edges: EdgeSpec[] }) {
  return (
    <>
      <h4 className="inspector__subheading">{title}</h4>
      {edges.length === 0
        ? <p className="inspector__note">None</p>
        : <ul className="edge-list">{edges.map((e) => <EdgeRow key={edgeId(e)} edge={e} />)}</ul>}
    </>
  );
}

export function ConnectionsSection({ id }: { id: string }) {
  const store = useAppStore();
  const job = useApp((s) => s.job);
  const targets = connectTargets(job, id);
  const { inputs, outputs } = edgesOf(job, id);
  const kind = job.operators.find((o) => o.id === id)?.kind;
  const hasOutputs = kind !== undefined && CATALOGUE[kind].hasOutputs;
  const hasInputs = kind !== undefined && CATALOGUE[kind].maxInputs > 0;
  const add = (to: string) => {
    if (!to) return;
    const s = store.getState();
    const result = connect(s.job, id, to);
    if (result.ok) s.commit(result.job);
    else s.toast(result.message, 'error');
  };
  return (
    <section className="inspector__section" aria-labelledby="inspector-connections">
      <h3 className="panel-heading" id="inspector-connections">Connections</h3>
      {hasOutputs && (
        <Field label="Connect to…" help="Adds an edge from this operator; the partitioner can be changed on the edge.">
          {(a11y) => (
            <select {...a11y} className="input select" data-testid="inspector-connect-target" value="" disabled={targets.length === 0}
              onChange={(e) => add(e.target.value)}>
              <option value="">{targets.length === 0 ? 'No possible targets' : 'Choose an operator…'}</option>
              {targets.map((t) => {
                const op = job.operators.find((o) => o.id === t);
                return <option key={t} value={t}>{op ? `${op.name} (${t})` : t}</option>;
              })}
            </select>
          )}
        </Field>
      )}
      {hasInputs && <EdgeList title="Inputs" edges={inputs} />}
      {hasOutputs && <EdgeList title="Outputs" edges={outputs} />}
    </section>
  );
}
