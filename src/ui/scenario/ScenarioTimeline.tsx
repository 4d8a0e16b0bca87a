/**
 * The scenario's timeline drawn as SVG: an axis in virtual time, a mark per entry at its
 * `atMs` (narration, fault, operation; applied marks filled, the one being narrated ringed,
 * refused ones dashed), and a
 * playhead at the virtual time reached. Each mark is a focusable button-like element with its
 * text as tooltip, so the timeline reads with a keyboard and a screen reader too.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { ActionOutcome, Scenario } from '../../engine/scenario';
import { axisTicks, formatVirtualMs, outcomeLabel, timelineMarks } from './timelineModel';

/** Width drawn before the element is measured (and in tests without layout). */
const FALLBACK_WIDTH = 800;
const LANE_H = 16;
const TOP = 10;
const PAD_X = 16;

interface Props {
  scenario: Scenario;
  virtualMs: number;
  outcomes: readonly ActionOutcome[];
  /** Index of the entry whose narration shows now (it may be waiting for Next note). */
  current?: number;
  onMark?(index: number): void;
}

/** The element's width in CSS pixels, kept up to date, so the SVG draws at 1:1 (round marks, crisp text). */
function useWidth(): [RefObject<SVGSVGElement | null>, number] {
  const ref = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH);
  useEffect(() => {
    const el = ref.current;
    if (el === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function ScenarioTimeline({ scenario, virtualMs, outcomes, current, onMark }: Props) {
  const [ref, WIDTH] = useWidth();
  const durationMs = scenario.run.durationMs;
  const marks = timelineMarks(scenario.timeline, durationMs);
  const lanes = Math.max(1, ...marks.map((m) => m.lane + 1));
  const axisY = TOP + lanes * LANE_H + 6;
  const height = axisY + 22;
  const x = (fraction: number) => PAD_X + fraction * (WIDTH - 2 * PAD_X);
  const head = x(Math.min(1, Math.max(0, durationMs > 0 ? virtualMs / durationMs : 0)));
  const byIndex = new Map(outcomes.map((o) => [o.index, o]));
  return (
    <svg
      className="scenario-timeline"
      data-testid="scenario-timeline"
      ref={ref}
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="group"
      aria-label={`Timeline, ${formatVirtualMs(durationMs)} of virtual time`}
      style={{ height }}
    >
      <rect className="scenario-timeline__done" x={PAD_X} y={axisY - 3} width={Math.max(0, head - PAD_X)} height={6} rx={3} />
      <line className="scenario-timeline__axis" x1={PAD_X} x2={WIDTH - PAD_X} y1={axisY} y2={axisY} />
      {axisTicks(durationMs).map((t) => (
        <g key={t} className="scenario-timeline__tick">
          <line x1={x(t / durationMs)} x2={x(t / durationMs)} y1={axisY} y2={axisY + 4} />
          <text x={x(t / durationMs)} y={axisY + 16} textAnchor={t === 0 ? 'start' : t >= durationMs ? 'end' : 'middle'}>{formatVirtualMs(t)}</text>
        </g>
      ))}
      {marks.map((m) => {
        const outcome = byIndex.get(m.index);
        const state = outcome === undefined ? (m.index === current ? 'current' : 'pending') : outcome.applied ? 'applied' : 'refused';
        const cy = TOP + m.lane * LANE_H + 4;
        const title = `${formatVirtualMs(m.atMs)}: ${m.label}${m.text ? ` — ${m.text}` : ''} (${outcomeLabel(outcome)})`;
        return (
          <g
            key={m.index}
            className={`scenario-mark scenario-mark--${m.kind} is-${state}`}
            data-testid={`scenario-mark-${m.index}`}
            data-state={state}
            tabIndex={0}
            role="button"
            aria-label={title}
            onClick={() => onMark?.(m.index)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onMark?.(m.index);
              }
            }}
          >
            <title>{title}</title>
            <line className="scenario-mark__stem" x1={x(m.x)} x2={x(m.x)} y1={cy} y2={axisY} />
            {m.kind === 'fault'
              ? <path className="scenario-mark__head" d={`M ${x(m.x)} ${cy - 6} L ${x(m.x) + 6} ${cy} L ${x(m.x)} ${cy + 6} L ${x(m.x) - 6} ${cy} Z`} />
              : <circle className="scenario-mark__head" cx={x(m.x)} cy={cy} r={m.kind === 'note' ? 5 : 4.5} />}
          </g>
        );
      })}
      <g className="scenario-timeline__playhead" data-testid="scenario-playhead" data-virtual-ms={virtualMs}>
        <line x1={head} x2={head} y1={2} y2={axisY + 6} />
      </g>
    </svg>
  );
}
