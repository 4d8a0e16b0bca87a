/**
 * The inspector when nothing is selected: the job's name, description and max-parallelism
 * formula, with the max parallelism each operator resolves to.
 */
import { maxParallelismFor, type MaxParallelismFormula } from '../../engine';
import { updateJobSettings } from '../model/jobs';
import { useApp, useAppStore } from '../store/appStore';
import { useValidation } from '../store/useDerived';
import { SelectField } from './fields/SelectField';
import { TextField } from './fields/TextField';
import { safeMaxParallelism, useFieldMessages } from './useFieldMessages';

const FORMULAS = [
  { value: 'sluice', label: 'Sluice (at least 1024)' },
  { value: 'flink', label: 'Flink (at least 128)' },
];

const FORMULA_HELP: Record<MaxParallelismFormula, string> = {
  sluice: 'Key groups for operators without their own maxParallelism: min(max(roundUpToPowerOfTwo(1.5p × 10), 1024), 32768).',
  flink: "Key groups for operators without their own maxParallelism, as Flink's default: min(max(roundUpToPowerOfTwo(1.5p), 128), 32768).",
};

export function JobSettings() {
  const store = useAppStore();
  const job = useApp((s) => s.job);
  const { errors } = useValidation();
  const messagesAt = useFieldMessages();
  const formula = job.maxParallelismFormula ?? 'sluice';
  const edit = (patch: Parameters<typeof updateJobSettings>[1], coalesce?: string) => {
    const s = store.getState();
    s.commit(updateJobSettings(s.job, patch), coalesce ? { coalesce } : {});
  };
  return (
    <div className="inspector__content" data-testid="inspector-job">
      <header className="inspector__header">
        <div>
          <h2 className="inspector__title">Job</h2>
          <p className="inspector__subtitle">
            {job.operators.length} operators · {job.edges.length} edges · {errors.length === 0 ? 'valid' : `${errors.length} problems`}
          </p>
        </div>
      </header>
      <section className="inspector__section" aria-label="Job settings">
        <TextField testId="inspector-job-name" label="Name" value={job.name} messages={messagesAt('$.name')}
          onChange={(v, c) => edit({ name: v }, c)} />
        <TextField testId="inspector-description" label="Description" multiline value={job.description ?? ''}
          messages={messagesAt('$.description')} onChange={(v, c) => edit({ description: v }, c)} />
        <SelectField testId="inspector-maxParallelismFormula" label="Default max parallelism" value={formula}
          options={FORMULAS} messages={messagesAt('$.maxParallelismFormula')}
          help={FORMULA_HELP[formula]}
          onChange={(v) => edit({ maxParallelismFormula: v as MaxParallelismFormula })} />
      </section>
      {job.operators.length > 0 && (
        <section className="inspector__section" aria-labelledby="inspector-resolved">
          <h3 className="panel-heading" id="inspector-resolved">Resolved max parallelism</h3>
          <table className="resolved" data-testid="inspector-resolved-max">
            <thead><tr><th scope="col">Operator</th><th scope="col">p</th><th scope="col">max p</th></tr></thead>
            <tbody>
              {job.operators.map((op) => {
                const resolved = op.maxParallelism ?? safeMaxParallelism(() => maxParallelismFor(op.parallelism, formula));
                return (
                  <tr key={op.id} data-testid={`resolved-max-${op.id}`}>
                    <td>{op.name}</td>
                    <td>{String(op.parallelism)}</td>
                    <td>{resolved ?? '—'}{op.maxParallelism !== undefined && <span className="resolved__own" title="Set on the operator"> *</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      <p className="inspector__note">Select an operator or an edge to edit it. Shift-click a second operator and press C to connect them.</p>
    </div>
  );
}
