/**
 * The run's timeline under the canvas (d3 scales, React-drawn SVG): throughput per operator,
 * checkpoints per region, failures, recoveries, rescales, faults and events, from the bounded
 * buffers the store samples from telemetry frames. Hover (or ←/→ with the chart focused)
 * scrubs and reads the figures out; the wheel, the buttons and +/−/0 zoom; PageUp/PageDown
 * pan. Marks open their details. Redraws at most once per frame version.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject, type WheelEvent } from 'react';
import { scaleLinear } from 'd3';
import { formatRate, formatVirtualTime } from '../../model/runFormat';
import { useApp, useAppStore } from '../../store/appStore';
import type { RunFocus } from '../../store/types';
import { chartLayout, OPERATOR_COLOURS, OPERATOR_DASHES, TimelineChart } from './TimelineChart';
import { nearestSample, visibleWindow } from './timelineModel';

const MAX_ZOOM = 64;

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 600);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Wall ms between two redraws of the timeline (it is an overview; the canvas shows the live figures). */
export const TIMELINE_REDRAW_MS = 500;

/** The timeline's version, read at most every `ms` (a subscription, so skipped versions cost no render). */
function useThrottledVersion(ms: number): number {
  const store = useAppStore();
  const [version, setVersion] = useState(() => store.getState().runTimelineVersion);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const update = () => {
      timer = null;
      last = Date.now();
      setVersion(store.getState().runTimelineVersion);
    };
    const unsubscribe = store.subscribe((s, before) => {
      if (s.runTimelineVersion === before.runTimelineVersion || timer !== null) return;
      timer = setTimeout(update, Math.max(0, ms - (Date.now() - last)));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, ms]);
  return version;
}

export function Timeline() {
  const store = useAppStore();
  const version = useThrottledVersion(TIMELINE_REDRAW_MS);
  const timeline = useApp((s) => s.runTimeline);
  const job = useApp((s) => s.runJob);
  const [open, setOpen] = useState(true);
  const [zoom, setZoom] = useState(1);
  const [panMs, setPanMs] = useState(0);
  const [cursor, setCursor] = useState<number | null>(null);
  const [box, width] = useWidth();

  // Everything read from the mutable buffers is taken once per version.
  const data = useMemo(() => {
    void version;
    const samples = timeline?.samples.toArray() ?? [];
    const marks = timeline?.marks.toArray() ?? [];
    const checkpoints = timeline?.checkpointBars() ?? [];
    // The run's span starts at whatever is kept first: a sample, a checkpoint or a mark.
    const firsts = [samples[0]?.t, checkpoints[0]?.triggerMs, marks[0]?.t].filter((t): t is number => t !== undefined);
    return {
      samples,
      marks,
      checkpoints,
      regions: timeline?.regionIds() ?? [],
      start: firsts.length > 0 ? Math.min(...firsts) : 0,
      now: timeline?.now ?? 0,
    };
  }, [timeline, version]);

  const operators = useMemo(() => (job?.operators ?? []).map((o) => ({ id: o.id, name: o.name })), [job]);
  const regionRows = Math.min(12, data.regions.length);
  const layout = useMemo(() => chartLayout(width, regionRows), [width, regionRows]);
  const regions = useMemo(() => data.regions.slice(0, 12), [data]);
  const [lo, hi] = visibleWindow(data.start, data.now, zoom, panMs);
  const x = useMemo(() => scaleLinear().domain([lo, hi]).range([0, width]), [lo, hi, width]);
  const onOpen = useCallback((focus: RunFocus) => store.getState().focusRun(focus), [store]);

  const zoomBy = (factor: number) => setZoom((z) => Math.min(MAX_ZOOM, Math.max(1, z * factor)));
  const span = hi - lo;
  const reset = () => {
    setZoom(1);
    setPanMs(0);
    setCursor(null);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const step = span / 20;
    if (e.key === '+' || e.key === '=') zoomBy(2);
    else if (e.key === '-' || e.key === '_') zoomBy(0.5);
    else if (e.key === '0') reset();
    else if (e.key === 'PageUp') setPanMs((p) => p + span / 2);
    else if (e.key === 'PageDown') setPanMs((p) => Math.max(0, p - span / 2));
    else if (e.key === 'ArrowLeft') setCursor((c) => Math.max(lo, (c ?? hi) - step));
    else if (e.key === 'ArrowRight') setCursor((c) => Math.min(hi, (c ?? lo) + step));
    else if (e.key === 'Escape') setCursor(null);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const onWheel = (e: WheelEvent) => {
    if (e.deltaY === 0) return;
    zoomBy(e.deltaY < 0 ? 1.25 : 0.8);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    setCursor(x.invert(e.clientX - rect.left));
  };

  const sample = cursor === null ? data.samples[data.samples.length - 1] : nearestSample(data.samples, cursor);
  const readout = sample
    ? `${formatVirtualTime(sample.t)} · ${operators.map((o) => `${o.name} ${formatRate(sample.rates[o.id] ?? 0)}`).join(' · ')}`
    : 'Waiting for the first figures…';

  return (
    <section className={`timeline${open ? '' : ' is-collapsed'}`} data-testid="timeline" aria-label="Run timeline">
      <header className="timeline__header">
        <button type="button" className="btn btn--icon" data-testid="timeline-toggle" aria-expanded={open}
          aria-label={open ? 'Collapse the timeline' : 'Expand the timeline'} onClick={() => setOpen(!open)}>{open ? '▾' : '▴'}</button>
        <h2 className="panel-heading">Timeline</h2>
        <ul className="timeline__legend" aria-label="Operators">
          {operators.map((o, i) => (
            <li key={o.id}>
              <svg width="18" height="8" aria-hidden="true"><line x1="0" y1="4" x2="18" y2="4" strokeWidth="2"
                stroke={OPERATOR_COLOURS[i % OPERATOR_COLOURS.length]} strokeDasharray={OPERATOR_DASHES[Math.floor(i / OPERATOR_COLOURS.length) % OPERATOR_DASHES.length] || undefined} /></svg>
              {o.name}
            </li>
          ))}
        </ul>
        <span className="timeline__readout mono" data-testid="timeline-readout" aria-live="off">{readout}</span>
        <div className="timeline__zoom">
          <button type="button" className="btn btn--icon" data-testid="timeline-zoom-out" aria-label="Zoom out" title="Zoom out (−)" disabled={zoom <= 1} onClick={() => zoomBy(0.5)}>−</button>
          <span className="mono" data-testid="timeline-zoom" data-value={zoom}>{zoom.toFixed(zoom < 10 ? 1 : 0)}×</span>
          <button type="button" className="btn btn--icon" data-testid="timeline-zoom-in" aria-label="Zoom in" title="Zoom in (+)" disabled={zoom >= MAX_ZOOM} onClick={() => zoomBy(2)}>+</button>
          <button type="button" className="btn" data-testid="timeline-zoom-reset" title="Whole run, following live (0)" onClick={reset}>All</button>
        </div>
      </header>
      {open && (
        <div ref={box} className="timeline__body" data-testid="timeline-chart" tabIndex={0}
          aria-label="Timeline: + and − zoom, 0 resets, PageUp and PageDown pan, arrows scrub; Tab reaches each mark"
          onKeyDown={onKeyDown} onWheel={onWheel} onPointerMove={onPointerMove} onPointerLeave={() => setCursor(null)}>
          <TimelineChart layout={layout} x={x} operators={operators} samples={data.samples} checkpoints={data.checkpoints}
            regions={regions} marks={data.marks} now={data.now} cursor={cursor} onOpen={onOpen} />
        </div>
      )}
    </section>
  );
}
