/**
 * The timeline's SVG: throughput lines per operator (d3 scales and line generator), checkpoint
 * bars per region (colour by status, failed ones hatched too), and marks for failures,
 * recoveries, rescales, faults and events. Every bar and mark is a focusable button that opens
 * its details (the Checkpoints panel at that id, or the Events panel filtered).
 */
import { memo, type KeyboardEvent } from 'react';
import { line, max, scaleLinear, type ScaleLinear } from 'd3';
import { formatVirtualTime } from '../../model/runFormat';
import type { RunFocus } from '../../store/types';
import { thin, type CheckpointBar, type ThroughputSample, type TimelineMark } from './timelineModel';

export const OPERATOR_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8a8a8a'] as const;
export const OPERATOR_DASHES = ['', '5 3', '2 2', '8 3 2 3'] as const;
const MARK_GLYPH: Record<TimelineMark['kind'], string> = { failure: '✕', recovery: '↻', rescale: '⇄', fault: '⚡', event: '•', leader: '♛' };

export interface ChartLayout {
  width: number;
  lineTop: number;
  lineHeight: number;
  rowTop: number;
  rowHeight: number;
  marksTop: number;
  axisTop: number;
  height: number;
}

export function chartLayout(width: number, regionRows: number): ChartLayout {
  const lineTop = 6;
  const lineHeight = 62;
  const rowTop = lineTop + lineHeight + 6;
  const rowHeight = regionRows > 6 ? 5 : 8;
  const marksTop = rowTop + Math.max(1, regionRows) * (rowHeight + 2) + 4;
  const axisTop = marksTop + 18;
  return { width, lineTop, lineHeight, rowTop, rowHeight, marksTop, axisTop, height: axisTop + 16 };
}

interface ChartProps {
  layout: ChartLayout;
  x: ScaleLinear<number, number>;
  operators: readonly { id: string; name: string }[];
  samples: readonly ThroughputSample[];
  checkpoints: readonly CheckpointBar[];
  regions: readonly number[];
  marks: readonly TimelineMark[];
  now: number;
  cursor: number | null;
  onOpen(focus: RunFocus): void;
}

/** `00:12` for long spans, `00:12.5` when ticks are closer than a second or two. */
export function tickLabel(t: number, spanMs: number): string {
  const full = formatVirtualTime(t);
  if (spanMs > 20_000) return full.replace(/\.\d+$/, '');
  return spanMs > 2_000 ? full.replace(/(\.\d)\d+$/, '$1') : full;
}

const activate = (open: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    e.stopPropagation();
    open();
  }
};

function checkpointClass(c: CheckpointBar, status: string | undefined): string {
  if (c.status === 'in-progress' && (status === undefined || status === 'pending')) return 'tl-ck tl-ck--progress';
  if (status === 'failed' || (status === undefined && c.status === 'failed')) return 'tl-ck tl-ck--failed';
  return 'tl-ck tl-ck--done';
}

export const TimelineChart = memo(function TimelineChart({ layout, x, operators, samples, checkpoints, regions, marks, now, cursor, onOpen }: ChartProps) {
  const [t0, t1] = x.domain() as [number, number];
  const shown = thin(samples.filter((s) => s.t >= t0 - 1000 && s.t <= t1 + 1000), Math.max(50, Math.floor(layout.width / 3)));
  const top = max(shown, (s) => max(operators, (o) => s.rates[o.id] ?? 0)) ?? 0;
  const y = scaleLinear().domain([0, Math.max(1, top * 1.1)]).range([layout.lineTop + layout.lineHeight, layout.lineTop]);
  const rowOf = new Map(regions.map((r, i) => [r, i]));
  const rows = Math.max(1, regions.length);
  const inWindow = marks.filter((m) => (m.endT ?? m.t) >= t0 && m.t <= t1);
  const ticks = x.ticks(Math.max(2, Math.floor(layout.width / 110)));
  return (
    <svg className="timeline__svg" width={layout.width} height={layout.height} role="group" aria-label="Timeline chart">
      <defs>
        <pattern id="tl-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="5" height="5" className="tl-hatch__bg" />
          <line x1="0" y1="0" x2="0" y2="5" className="tl-hatch__line" strokeWidth="2" />
        </pattern>
      </defs>
      <g className="tl-grid">
        {ticks.map((t) => <line key={t} x1={x(t)} x2={x(t)} y1={layout.lineTop} y2={layout.axisTop} />)}
        <line x1={0} x2={layout.width} y1={layout.lineTop + layout.lineHeight} y2={layout.lineTop + layout.lineHeight} />
      </g>
      <text className="tl-label" x={4} y={layout.lineTop + 9}>{`${Math.round(y.domain()[1] ?? 0)}/s`}</text>
      {operators.map((op, i) => {
        const d = line<ThroughputSample>().x((s) => x(s.t)).y((s) => y(s.rates[op.id] ?? 0))(shown);
        return d ? (
          <path key={op.id} d={d} className="tl-line" data-testid={`timeline-line-${op.id}`}
            stroke={OPERATOR_COLOURS[i % OPERATOR_COLOURS.length]} strokeDasharray={OPERATOR_DASHES[Math.floor(i / OPERATOR_COLOURS.length) % OPERATOR_DASHES.length] || undefined} />
        ) : null;
      })}
      {regions.length > 0 && <text className="tl-label" x={4} y={layout.rowTop - 1}>checkpoints by region</text>}
      {checkpoints.filter((c) => (c.endMs ?? now) >= t0 && c.triggerMs <= t1).map((c) => {
        const x0 = x(c.triggerMs);
        const w = Math.max(3, x(c.endMs ?? now) - x0);
        const open = () => onOpen({ kind: 'checkpoint', id: c.id });
        const perRegion = c.regions.length > 0 ? c.regions : [{ region: regions[0] ?? 1, status: undefined }];
        return (
          <g key={c.id} className="tl-mark" role="button" tabIndex={0} data-testid={`timeline-checkpoint-${c.id}`} data-status={c.status}
            aria-label={`Checkpoint ${c.id}, ${c.status}, triggered at ${formatVirtualTime(c.triggerMs)}`} onClick={open} onKeyDown={activate(open)}>
            <title>{`Checkpoint ${c.id}: ${c.status}\n${c.regions.map((r) => `region ${r.region}: ${r.status}${r.snapshotId !== undefined && r.status === 'failed' ? ` (falls back to ${r.snapshotId})` : ''}`).join('\n')}`}</title>
            {perRegion.map((r) => {
              const row = rowOf.get(r.region) ?? 0;
              return (
                <rect key={r.region} className={checkpointClass(c, r.status)} x={x0} width={w} rx={1.5}
                  y={layout.rowTop + row * (layout.rowHeight + 2)} height={layout.rowHeight}
                  data-testid={`timeline-checkpoint-${c.id}-r${r.region}`} data-region-status={r.status} />
              );
            })}
            {rows <= 1 && w > 14 && <text className="tl-ck__id" x={x0 + 2} y={layout.rowTop + layout.rowHeight - 1}>{c.id}</text>}
          </g>
        );
      })}
      {inWindow.map((m) => {
        const open = () => onOpen(m.kind === 'recovery' ? { kind: 'events' } : { kind: 'events', ...(m.eventKind ? { eventKind: m.eventKind } : {}), ...(m.operatorId ? { operatorId: m.operatorId } : {}) });
        const xm = x(m.t);
        return (
          <g key={m.key} className={`tl-mark tl-ev tl-ev--${m.kind}`} role="button" tabIndex={0} data-testid={`timeline-mark-${m.key}`} data-kind={m.kind}
            aria-label={`${m.kind} at ${formatVirtualTime(m.t)}: ${m.label}`} onClick={open} onKeyDown={activate(open)}>
            <title>{`${formatVirtualTime(m.t)} — ${m.label}`}</title>
            {m.kind === 'recovery' && <line className="tl-ev__span" x1={xm} x2={x(m.endT ?? now)} y1={layout.marksTop + 5} y2={layout.marksTop + 5} />}
            <line className="tl-ev__rule" x1={xm} x2={xm} y1={layout.lineTop} y2={layout.marksTop} />
            <text className="tl-ev__glyph" x={xm} y={layout.marksTop + 9} textAnchor="middle">{MARK_GLYPH[m.kind]}</text>
          </g>
        );
      })}
      <g className="tl-axis" transform={`translate(0 ${layout.axisTop})`}>
        {ticks.map((t) => <text key={t} x={x(t)} y={11} textAnchor="middle">{tickLabel(t, t1 - t0)}</text>)}
      </g>
      {cursor !== null && <line className="tl-cursor" x1={x(cursor)} x2={x(cursor)} y1={layout.lineTop} y2={layout.axisTop} />}
    </svg>
  );
});
