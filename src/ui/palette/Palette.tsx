/**
 * The operator palette, generated from the catalogue and grouped by category. Click (or
 * Enter on the focused item) adds the operator near the centre of the view; dragging onto
 * the canvas drops it where it lands. Disabled while a run is active.
 */
import { CATALOGUE, OPERATOR_KINDS, type OperatorCategory, type OperatorKind } from '../../engine';
import { addOperatorNearCentre } from '../app/actions';
import { useServices } from '../app/services';
import { useApp } from '../store/appStore';
import { KindGlyph } from './KindGlyph';

/** Drag payload type for palette items. */
export const KIND_MIME = 'application/x-sluice-kind';

const GROUPS: { category: OperatorCategory; title: string }[] = [
  { category: 'source', title: 'Sources' },
  { category: 'stateless', title: 'Transforms' },
  { category: 'keyed', title: 'Keyed' },
  { category: 'sink', title: 'Sinks' },
];

function PaletteItem({ kind, locked }: { kind: OperatorKind; locked: boolean }) {
  const services = useServices();
  const info = CATALOGUE[kind];
  return (
    <li>
      <button
        type="button"
        className={`palette__item cat-${info.category}`}
        data-testid={`palette-${kind}`}
        title={locked ? 'Stop the run to add operators.' : info.description}
        disabled={locked}
        aria-label={`Add ${info.label}`}
        aria-description={info.description}
        draggable={!locked}
        onDragStart={(e) => {
          e.dataTransfer.setData(KIND_MIME, kind);
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={() => addOperatorNearCentre(services, kind)}
      >
        <KindGlyph kind={kind} />
        <span className="palette__label">{info.label}</span>
      </button>
    </li>
  );
}

export function Palette() {
  const locked = useApp((s) => s.runActive);
  return (
    <aside className="app__palette palette" aria-label="Operator palette">
      <p className="palette__hint">{locked ? 'Stop the run to add operators' : 'Click or drag to add'}</p>
      {GROUPS.map((group) => (
        <section key={group.category} className="palette__group" aria-labelledby={`palette-${group.category}-title`}>
          <h2 id={`palette-${group.category}-title`} className="panel-heading">{group.title}</h2>
          <ul className="palette__list">
            {OPERATOR_KINDS.filter((kind) => CATALOGUE[kind].category === group.category).map((kind) => (
              <PaletteItem key={kind} kind={kind} locked={locked} />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
