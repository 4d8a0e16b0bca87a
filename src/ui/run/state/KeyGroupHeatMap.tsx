/**
 * The key-group heat map: one band per owning subtask, one cell per key group (or per bin of
 * key groups for large max parallelism), coloured by rows or bytes per key group on viridis
 * (colour-blind safe, light to dark readable in both themes). Colour is never the only signal:
 * every band states its total, the tooltip gives the exact figures, and a table repeats them.
 *
 * Keyboard: each subtask band is a tab stop; ←/→ move between its cells, ↑/↓ move by a line and
 * on into the next band, Home/End jump to the band's ends; the tooltip follows the active cell.
 */
import { interpolateViridis, scaleSequentialSqrt } from 'd3';
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import { formatCompact, formatExact } from '../../model/runFormat';
import { cellSize, cellValue, heatGrid, maxCellValue, type HeatCell, type HeatMapModel, type HeatMeasure } from './heatMapModel';
import { formatBytes, formatRange, formatRows, formatScaleValue } from './stateFormat';
import { bandColour, type RescaleDiff } from '../viz/rescale';

/** Width of the band labels: `kg 16384–24575` in the small mono font needs more than `kg 0–31`. */
const labelWidth = (model: HeatMapModel) => {
  const longest = Math.max(0, ...model.groups.map((g) => `kg ${formatRange(g.keyGroupStart, g.keyGroupEnd)}`.length));
  return Math.max(84, Math.ceil(16 + longest * 6.2));
};
const TOTAL_W = 92;
const BAND_PAD = 4;
const BAND_GAP = 4;
const MIN_BAND_H = 18;

interface Spot {
  group: number;
  cell: number;
}

interface Geometry {
  width: number;
  labelW: number;
  height: number;
  pitch: number;
  columns: number;
  bands: { y: number; height: number }[];
}

function geometry(model: HeatMapModel, width: number): Geometry {
  return gridGeometry(model.groups.map((g) => g.cells.length), labelWidth(model), width);
}

function gridGeometry(counts: number[], labelW: number, width: number): Geometry {
  const grid = heatGrid(counts, width - labelW - TOTAL_W);
  let y = 0;
  const bands = grid.rows.map((rows) => {
    const height = Math.max(MIN_BAND_H, rows * grid.pitch) + 2 * BAND_PAD;
    const band = { y, height };
    y += height + BAND_GAP;
    return band;
  });
  return { width, labelW, height: Math.max(0, y - BAND_GAP), pitch: grid.pitch, columns: grid.columns, bands };
}

/**
 * Where each key group sat before a rescale, in the geometry the old bands would have had at
 * this width: the cell keyed by its first key group, with its old owner.
 */
function previousPlaces(rescale: RescaleDiff, model: HeatMapModel, g: Geometry): { geometry: Geometry; places: Map<number, { x: number; y: number; owner: number }> } {
  const bin = model.binSize;
  const counts = rescale.before.map((b) => Math.ceil((b.keyGroupEnd - b.keyGroupStart + 1) / bin));
  const old = gridGeometry(counts, g.labelW, g.width);
  const places = new Map<number, { x: number; y: number; owner: number }>();
  for (const group of model.groups) {
    for (const cell of group.cells) {
      const bi = rescale.before.findIndex((b) => cell.keyGroupStart >= b.keyGroupStart && cell.keyGroupStart <= b.keyGroupEnd);
      const band = rescale.before[bi];
      if (!band) continue;
      const ci = Math.floor((cell.keyGroupStart - band.keyGroupStart) / bin);
      places.set(cell.keyGroupStart, { x: cellX(old, ci), y: cellY(old, bi, ci), owner: band.index });
    }
  }
  return { geometry: old, places };
}

/** Wall ms the cells take to slide from their old bands to the new ones. */
const SLIDE_MS = 1100;
/** Wall ms the owner outlines stay after the slide. */
const OUTLINE_MS = 5000;

const prefersReducedMotion = () => typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

type Stage = 'from' | 'to' | 'done';

/** Plays a rescale once per diff: 'from' (old places), 'to' (sliding home), 'done'. */
function useRescaleStage(rescale: RescaleDiff | undefined): Stage {
  const [stage, setStage] = useState<{ seq: number; stage: Stage } | null>(null);
  const seq = rescale?.seq;
  useLayoutEffect(() => {
    if (seq === undefined) return;
    const reduced = prefersReducedMotion();
    setStage({ seq, stage: reduced ? 'to' : 'from' });
    let frame = 0;
    if (!reduced && typeof requestAnimationFrame === 'function') {
      // Two frames: the old places are painted once before the transition to the new ones starts.
      frame = requestAnimationFrame(() => {
        frame = requestAnimationFrame(() => setStage({ seq, stage: 'to' }));
      });
    } else if (!reduced) setStage({ seq, stage: 'to' });
    const done = setTimeout(() => setStage({ seq, stage: 'done' }), (reduced ? 0 : SLIDE_MS) + OUTLINE_MS);
    return () => {
      if (frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
      clearTimeout(done);
    };
  }, [seq]);
  return stage && stage.seq === seq ? stage.stage : 'done';
}

const cellX = (g: Geometry, i: number) => g.labelW + (i % g.columns) * g.pitch;
const cellY = (g: Geometry, band: number, i: number) => (g.bands[band]?.y ?? 0) + BAND_PAD + Math.floor(i / g.columns) * g.pitch;

const measureText = (measure: HeatMeasure, value: number | null) =>
  measure === 'entries' ? `${formatCompact(value ?? 0)} ${value === 1 ? 'row' : 'rows'}` : value === null ? 'no bytes' : formatBytes(value);

function Tooltip({ model, spot, g }: { model: HeatMapModel; spot: Spot; g: Geometry }) {
  const group = model.groups[spot.group];
  const cell = group?.cells[spot.cell];
  if (!group || !cell) return null;
  const x = cellX(g, spot.cell);
  const y = cellY(g, spot.group, spot.cell);
  const leftSide = x + g.pitch + 240 > g.width;
  const style = leftSide ? { right: g.width - x + 6, top: y } : { left: x + g.pitch + 6, top: y };
  const binned = cellSize(cell) > 1;
  return (
    <div className="heatmap__tooltip" style={style} data-testid="state-heatmap-tooltip" role="status">
      <strong>{binned ? `Key groups ${formatRange(cell.keyGroupStart, cell.keyGroupEnd)}` : `Key group ${cell.keyGroupStart}`}</strong>
      <dl>
        <dt>Subtask</dt><dd>#{group.subtask}</dd>
        <dt>TaskManager</dt><dd>{group.taskManager}</dd>
        <dt>Rows</dt><dd>{formatExact(cell.entries)}</dd>
        <dt>Bytes</dt><dd>{cell.bytes === null ? '—' : formatBytes(cell.bytes)}</dd>
        {binned && <><dt>Non-empty</dt><dd>{cell.nonEmpty} of {cellSize(cell)}</dd></>}
        {binned && cell.hottest && <><dt>Fullest</dt><dd>key group {cell.hottest.keyGroup}: {formatRows(cell.hottest.entries)}</dd></>}
      </dl>
    </div>
  );
}

/** Legend: the colour ramp with the values at its ends and middle, and the empty swatch. */
export function HeatLegend({ max, measure }: { max: number; measure: HeatMeasure }) {
  const stops = Array.from({ length: 11 }, (_, i) => i / 10);
  const label = (v: number) => formatScaleValue(v, measure);
  return (
    <div className="heatmap__legend" data-testid="state-heatmap-legend" aria-label={`Colour scale: ${measure === 'entries' ? 'rows' : 'bytes'} per key group, 0 to ${label(max)}, square-root scale`}>
      <span className="heatmap__swatch heatmap__swatch--empty" aria-hidden="true" /> <span>empty</span>
      <span className="heatmap__ramp-wrap">
        <span className="heatmap__ramp" aria-hidden="true" style={{ background: `linear-gradient(to right, ${stops.map((t) => interpolateViridis(t)).join(', ')})` }} />
        <span className="heatmap__ticks" aria-hidden="true">
          <span>{label(0)}</span><span>{label(max / 4)}</span><span>{label(max)}</span>
        </span>
      </span>
      <span className="muted">{measure === 'entries' ? 'rows' : 'bytes'} per key group (√ scale)</span>
    </div>
  );
}

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(640);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.floor(el.clientWidth)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export interface KeyGroupHeatMapProps {
  model: HeatMapModel;
  measure: HeatMeasure;
  operatorName: string;
  /** The operator's latest rescale: its cells slide from their old bands into the new ones once. */
  rescale?: RescaleDiff;
}

export function KeyGroupHeatMap({ model, measure, operatorName, rescale }: KeyGroupHeatMapProps) {
  const [wrapRef, width] = useWidth();
  const g = useMemo(() => geometry(model, width), [model, width]);
  const stage = useRescaleStage(rescale);
  const previous = useMemo(() => (rescale && stage !== 'done' ? previousPlaces(rescale, model, g) : null), [rescale, stage, model, g]);
  const max = maxCellValue(model, measure);
  const colour = useMemo(() => scaleSequentialSqrt(interpolateViridis).domain([0, Math.max(max, 1e-9)]), [max]);
  const [hover, setHover] = useState<Spot | null>(null);
  const [active, setActive] = useState<Spot | null>(null);
  const bands = useRef<(SVGGElement | null)[]>([]);
  const binned = model.binSize > 1;

  // A rescale or another operator can leave a spot pointing past the cells.
  const valid = (s: Spot | null) => (s && model.groups[s.group]?.cells[s.cell] ? s : null);
  const shown = valid(hover) ?? valid(active);

  const fill = (cell: HeatCell) => {
    const value = cellValue(cell, measure);
    return cell.entries === 0 && value === 0 ? undefined : colour(value);
  };

  const onMouseMove = (e: MouseEvent<SVGSVGElement>) => {
    const target = e.target as SVGElement;
    const group = target.getAttribute('data-g');
    const cell = target.getAttribute('data-c');
    if (group === null || cell === null) return setHover(null);
    const spot = { group: Number(group), cell: Number(cell) };
    if (hover?.group !== spot.group || hover.cell !== spot.cell) setHover(spot);
  };

  const onKeyDown = (e: KeyboardEvent<SVGGElement>, groupIndex: number) => {
    const group = model.groups[groupIndex];
    if (!group) return;
    const n = group.cells.length;
    const at = active?.group === groupIndex ? active.cell : 0;
    const moveTo = (gi: number, ci: number) => {
      const target = model.groups[gi];
      if (!target) return;
      setActive({ group: gi, cell: Math.max(0, Math.min(target.cells.length - 1, ci)) });
      if (gi !== groupIndex) bands.current[gi]?.focus();
    };
    const column = at % g.columns;
    switch (e.key) {
      case 'ArrowRight': moveTo(groupIndex, Math.min(n - 1, at + 1)); break;
      case 'ArrowLeft': moveTo(groupIndex, Math.max(0, at - 1)); break;
      case 'ArrowDown':
        if (at + g.columns < n) moveTo(groupIndex, at + g.columns);
        else if (groupIndex + 1 < model.groups.length) moveTo(groupIndex + 1, column);
        break;
      case 'ArrowUp':
        if (at - g.columns >= 0) moveTo(groupIndex, at - g.columns);
        else if (groupIndex > 0) {
          const prev = model.groups[groupIndex - 1];
          const lastLine = prev ? Math.floor((prev.cells.length - 1) / g.columns) : 0;
          moveTo(groupIndex - 1, lastLine * g.columns + column);
        }
        break;
      case 'Home': moveTo(groupIndex, 0); break;
      case 'End': moveTo(groupIndex, n - 1); break;
      case 'Escape': setActive(null); break;
      default: return;
    }
    e.preventDefault();
  };

  return (
    <div className="heatmap" ref={wrapRef}>
      <svg
        className="heatmap__svg"
        data-testid="state-heatmap"
        data-binned={binned}
        data-bin-size={model.binSize}
        width={g.width}
        height={previous && stage === 'from' ? Math.max(g.height, previous.geometry.height) : g.height}
        data-rescale-stage={rescale ? stage : undefined}
        role="group"
        aria-label={`Key groups of ${operatorName} by subtask: ${model.maxParallelism} key groups${binned ? `, ${model.binSize} per cell` : ''}`}
        onMouseMove={onMouseMove}
        onMouseLeave={() => setHover(null)}
      >
        {model.groups.map((group, gi) => {
          const band = g.bands[gi];
          if (!band) return null;
          const total = measure === 'entries' ? group.totalEntries : group.totalBytes;
          const focused = active?.group === gi;
          return (
            <g
              key={group.subtask}
              ref={(el) => {
                bands.current[gi] = el;
              }}
              className="heatmap__band"
              data-testid={`state-subtask-${group.subtask}`}
              data-entries={group.totalEntries}
              data-kg-start={group.keyGroupStart}
              data-kg-end={group.keyGroupEnd}
              tabIndex={0}
              role="group"
              aria-label={`Subtask ${group.subtask} on TaskManager ${group.taskManager}: key groups ${formatRange(group.keyGroupStart, group.keyGroupEnd)}, ${formatExact(group.totalEntries)} rows${group.totalBytes === null ? '' : `, ${formatBytes(group.totalBytes)}`}. Arrow keys move between key groups.`}
              onFocus={() => {
                // Arrow keys set the target cell just before moving focus here: keep it.
                setActive((a) => (a?.group === gi ? a : { group: gi, cell: 0 }));
              }}
              onBlur={(e) => {
                if (!e.currentTarget.ownerSVGElement?.contains(e.relatedTarget as Node | null)) setActive(null);
              }}
              onKeyDown={(e) => onKeyDown(e, gi)}
            >
              <rect className={`heatmap__bandbg${gi % 2 ? ' is-odd' : ''}${focused ? ' is-focused' : ''}`} x={0.5} y={band.y + 0.5} width={g.width - 1} height={band.height - 1} rx={4} />
              {rescale && <rect className="heatmap__owner" x={1} y={band.y + 2} width={3} height={band.height - 4} style={{ fill: bandColour(group.subtask) }} />}
              <text className="heatmap__label" x={8} y={band.y + BAND_PAD + 11}>
                <tspan className="heatmap__label-index">#{group.subtask}</tspan>
                <tspan dx={6}>TM {group.taskManager}</tspan>
              </text>
              {band.height >= 34 && (
                <text className="heatmap__label heatmap__label--range" x={8} y={band.y + BAND_PAD + 25}>kg {formatRange(group.keyGroupStart, group.keyGroupEnd)}</text>
              )}
              {group.cells.map((cell, ci) => {
                const size = g.pitch >= 12 ? g.pitch - 2 : g.pitch - 1;
                const isActive = focused && active?.cell === ci;
                const was = previous?.places.get(cell.keyGroupStart);
                const moved = was !== undefined && was.owner !== group.subtask;
                const x = cellX(g, ci);
                const y = cellY(g, gi, ci);
                const motion = moved && stage !== 'done'
                  ? {
                      transform: stage === 'from' ? `translate(${was.x - x}px, ${was.y - y}px)` : 'translate(0px, 0px)',
                      transition: stage === 'to' ? `transform ${SLIDE_MS}ms ease-in-out, stroke ${SLIDE_MS}ms linear` : 'none',
                      stroke: bandColour(stage === 'from' ? was.owner : group.subtask),
                    }
                  : undefined;
                return (
                  <rect
                    key={cell.keyGroupStart}
                    className={`heatmap__cell${fill(cell) === undefined ? ' is-empty' : ''}${isActive ? ' is-active' : ''}${motion ? ' is-moving' : ''}`}
                    data-testid={binned ? undefined : `state-kg-${cell.keyGroupStart}`}
                    data-g={gi}
                    data-c={ci}
                    data-entries={cell.entries}
                    data-bytes={cell.bytes ?? undefined}
                    x={x}
                    y={y}
                    width={size}
                    height={size}
                    rx={size >= 8 ? 1.5 : 0}
                    style={{ fill: fill(cell), ...motion }}
                  />
                );
              })}
              <text className="heatmap__total" x={g.width - 8} y={band.y + BAND_PAD + 11} textAnchor="end">{measureText(measure, total)}</text>
            </g>
          );
        })}
      </svg>
      {shown && <Tooltip model={model} spot={shown} g={g} />}
    </div>
  );
}
