/**
 * The inspector for one operator: what it is, its general settings (id, name, uid,
 * parallelism, max parallelism with both default formulas, the stable state id), its catalogue
 * settings and its connections. Edits are live
 * and each field focus is one undo step.
 */
import { CATALOGUE, maxParallelismFor } from '../../engine';
import { operatorFieldPath } from '../model/errorIndex';
import { findOperator, setConfigValue, updateOperator, type OperatorPatch } from '../model/operators';
import { KindGlyph } from '../palette/KindGlyph';
import { useApp, useAppStore } from '../store/appStore';
import { useOperatorErrors } from '../store/useDerived';
import { ConfigFields, visibleConfigFields } from './ConfigFields';
import { ConnectionsSection } from './ConnectionsSection';
import { NumberField } from './fields/NumberField';
import { TextField } from './fields/TextField';
import { IdField } from './IdField';
import { MaxParallelismFormulas, StableIdLine } from './OperatorIdentity';
import { ProblemList } from './ProblemList';
import { safeMaxParallelism, unplacedErrors, useFieldMessages } from './useFieldMessages';

const GENERAL = ['id', 'name', 'uid', 'parallelism', 'maxParallelism'] as const;

export function OperatorInspector({ id }: { id: string }) {
  const store = useAppStore();
  const job = useApp((s) => s.job);
  const errors = useOperatorErrors(id);
  const messagesAt = useFieldMessages();
  const op = findOperator(job, id);
  if (!op) return null;
  const info = CATALOGUE[op.kind];
  const path = (field: string) => operatorFieldPath(job, id, field);
  const msgs = (field: string) => messagesAt(path(field));
  const update = (patch: OperatorPatch, coalesce?: string) => {
    const s = store.getState();
    s.commit(updateOperator(s.job, id, patch), coalesce ? { coalesce } : {});
  };
  const setConfig = (field: string, value: unknown, coalesce?: string) => {
    const s = store.getState();
    s.commit(setConfigValue(s.job, id, field, value), coalesce ? { coalesce } : {});
  };
  const formula = job.maxParallelismFormula ?? 'sluice';
  const resolvedMax = safeMaxParallelism(() => maxParallelismFor(op.parallelism, formula));
  const shownPaths = [...GENERAL.map(path), ...visibleConfigFields(op).map((f) => path(`config.${f.name}`))];

  return (
    <div className="inspector__content" data-testid="inspector-operator">
      <header className={`inspector__header cat-${info.category}`}>
        <KindGlyph kind={op.kind} />
        <div>
          <h2 className="inspector__title">{info.label}</h2>
          <p className="inspector__subtitle">{info.description}</p>
        </div>
      </header>
      <ProblemList errors={unplacedErrors(errors, shownPaths)} />
      <section className="inspector__section" aria-label="General">
        <IdField id={op.id} messages={msgs('id')} />
        <TextField testId="inspector-name" label="Name" value={op.name} messages={msgs('name')}
          onChange={(v, c) => update({ name: v }, c)} />
        <TextField testId="inspector-uid" label="uid" mono value={op.uid ?? ''} placeholder="none (derived from the graph)"
          help="Stable id for state across job changes (Flink's uid)." messages={msgs('uid')}
          onChange={(v, c) => update({ uid: v === '' ? undefined : v }, c)} />
        <div className="field-row">
          <NumberField testId="inspector-parallelism" label="Parallelism" integer min={1} value={op.parallelism}
            messages={msgs('parallelism')} onChange={(v, c) => v !== undefined && update({ parallelism: v }, c)} />
          <NumberField testId="inspector-maxParallelism" label="Max parallelism" integer min={1} allowEmpty
            value={op.maxParallelism} placeholder={resolvedMax === null ? '' : String(resolvedMax)}
            messages={msgs('maxParallelism')} onChange={(v, c) => update({ maxParallelism: v }, c)} />
        </div>
        <p className="inspector__note">
          {op.maxParallelism === undefined && resolvedMax !== null
            ? `${resolvedMax} key groups by the ${formula} formula; set a number to override.`
            : 'Key groups: the number of shards of this operator\'s keyed state.'}
        </p>
        <MaxParallelismFormulas job={job} op={op} />
        <StableIdLine job={job} op={op} />
      </section>
      <section className="inspector__section" aria-labelledby="inspector-settings">
        <h3 className="panel-heading" id="inspector-settings">Settings</h3>
        <ConfigFields op={op} messagesFor={(f) => msgs(`config.${f}`)} onSet={setConfig} />
      </section>
      {(info.hasOutputs || info.maxInputs > 0) && <ConnectionsSection id={op.id} />}
    </div>
  );
}
