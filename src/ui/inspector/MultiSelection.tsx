/** The inspector when several operators are selected: who, in which order, and what can be done. */
import { useServices } from '../app/services';
import { useApp } from '../store/appStore';

export function MultiSelection({ ids }: { ids: readonly string[] }) {
  const services = useServices();
  const job = useApp((s) => s.job);
  const name = (id: string) => job.operators.find((o) => o.id === id)?.name ?? id;
  return (
    <div className="inspector__content" data-testid="inspector-multi">
      <header className="inspector__header">
        <div>
          <h2 className="inspector__title">{ids.length} operators selected</h2>
          <p className="inspector__subtitle">In selection order.</p>
        </div>
      </header>
      <ol className="inspector__list">
        {ids.map((id) => <li key={id}>{name(id)} <span className="mono muted">{id}</span></li>)}
      </ol>
      <div className="inspector__actions">
        {ids.length === 2 && (
          <button type="button" className="btn" data-testid="inspector-connect-selected" onClick={() => services.run('connect')}>
            Connect {name(ids[0] ?? '')} → {name(ids[1] ?? '')}
          </button>
        )}
        <button type="button" className="btn" onClick={() => services.run('duplicate')}>Duplicate</button>
        <button type="button" className="btn btn--danger" onClick={() => services.run('delete')}>Delete</button>
      </div>
    </div>
  );
}
