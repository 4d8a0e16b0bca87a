/** A small line icon per operator kind, in the category's colour; decorative (labels carry the name). */
import type { OperatorKind } from '../../engine';

const PATHS: Record<OperatorKind, string> = {
  datagen: 'M2 6c2-2 4 2 6 0s4 2 6 0M2 10.5c2-2 4 2 6 0s4 2 6 0',
  sequence: 'M3 13V10M6.5 13V7.5M10 13V5M13.5 13V2.5',
  map: 'M2.5 8a2 2 0 104 0 2 2 0 10-4 0M6.5 8h3M9.5 5.5h4v5h-4z',
  filter: 'M2.5 3h11L9 8.5V13l-2-1V8.5z',
  flatMap: 'M2 8h4M6 8l7-4.5M6 8h7M6 8l7 4.5',
  union: 'M3 3.5L8 8M3 12.5L8 8M8 8h6',
  aggregate: 'M12 3H4l4.5 5L4 13h8',
  window: 'M2.5 4h4.5v8H2.5zM9 4h4.5v8H9z',
  dedup: 'M3 6h10M3 10h10M11 2.5L5 13.5',
  collect: 'M8 2v7M5 6l3 3 3-3M2.5 10v3.5h11V10',
  log: 'M3 4h10M3 8h10M3 12h6',
  discard: 'M8 2.5a5.5 5.5 0 100 11 5.5 5.5 0 100-11zM4.2 11.8l7.6-7.6',
};

export function KindGlyph({ kind }: { kind: OperatorKind }) {
  return (
    <span className="kind-glyph" aria-hidden="true">
      <svg width="14" height="14" viewBox="0 0 16 16" focusable="false">
        <path d={PATHS[kind]} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    </span>
  );
}
