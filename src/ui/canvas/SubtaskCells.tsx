/**
 * The subtasks inside an operator, one cell each (`subtask-<operatorId>-<index>`):
 *
 * - design mode with the regions preview on: filled with its region's colour and labelled
 *   with the region number (colour is never the only signal);
 * - run mode: a button coloured by Flink's busy / idle / back-pressured blend (hatched when
 *   back-pressured; a state glyph instead of the index when not running: ✕ failed, ↻ restarting,
 *   ⤓ restoring, ✓ finished, ■ canceled; ×N when slowed down), underlined in its region's
 *   colour, ringed when it is the backpressure origin, dotted once it acked the checkpoint in
 *   flight; its title gives state, execution attempt (kept through a JobManager failover), TaskManager, region, rates and the three ratios, and it opens
 *   the fault menu.
 *
 * A region-sharable committer's run cell is underlined with a stripe per region it belongs to.
 *
 * Large parallelisms draw the first cells and summarise the rest as "+N".
 */
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import type { SubtaskMetrics } from '../../engine/runtime/telemetry';
import type { Fault } from '../../engine/runtime/telemetry';
import { formatExact, formatRate, formatVirtualTime } from '../model/runFormat';
import { regionBySubtask, regionColours, regionsBySubtask, sharedBackground, sharedTitle, subtaskKey, visibleCells, type Theme } from '../model/regionsView';
import { STATE_MARKS, subtaskLook } from '../model/subtaskColours';
import { describeFault } from '../run/faults/faultLog';
import { cellFlags, runRegions, runSharedRegions } from '../run/viz/vizSelectors';
import { injectFromUi } from '../run/report';
import { useApp, useAppStore } from '../store/appStore';
import { useRegionsPreview } from '../store/useDerived';
import { SubtaskMenu } from './SubtaskMenu';

function RegionCells({ operatorId, parallelism }: { operatorId: string; parallelism: number }) {
  const preview = useRegionsPreview();
  const theme = useApp((s) => s.theme);
  const regions = preview?.ok ? preview.regions : null;
  const lookup = useMemo(() => (regions ? regionBySubtask(regions) : null), [regions]);
  const all = useMemo(() => (regions ? regionsBySubtask(regions) : null), [regions]);
  if (!lookup) return null;
  const { indexes, hidden } = visibleCells(parallelism);
  return (
    <div className="subtasks" role="list" aria-label="Subtasks by region">
      {indexes.map((index) => {
        const shared = all?.get(subtaskKey(operatorId, index)) ?? [];
        if (shared.length > 1) {
          return (
            <span
              key={index}
              role="listitem"
              className="subtask subtask--shared"
              data-testid={`region-shared-${operatorId}`}
              data-regions={shared.join(',')}
              title={sharedTitle(shared)}
              aria-label={`Subtask ${index}, ${sharedTitle(shared)}`}
              style={{ background: sharedBackground(shared, theme), color: '#000000' }}
            >
              <span className="subtask__shared-label">{shared.join('·')}</span>
            </span>
          );
        }
        const region = lookup.get(subtaskKey(operatorId, index));
        const colours = region === undefined ? null : regionColours(region, theme);
        return (
          <span
            key={index}
            role="listitem"
            className="subtask"
            data-testid={`subtask-${operatorId}-${index}`}
            data-region={region}
            title={`Subtask ${index} — region ${region ?? '?'}`}
            style={colours ? { background: colours.fill, color: colours.text } : undefined}
          >
            {region ?? '?'}
          </span>
        );
      })}
      {hidden > 0 && <span className="subtask subtask--more" title={`${hidden} more subtasks`}>+{hidden}</span>}
    </div>
  );
}

/** The hover text of a running subtask. */
export function subtaskTitle(name: string, index: number, m: SubtaskMetrics | undefined, region?: number): string {
  if (!m) return `${name} subtask ${index}: waiting for figures.\nClick to kill or slow it down.`;
  const lines = [
    `${name} subtask ${index} — ${STATE_MARKS[m.state]} ${m.state}, attempt ${m.attempt ?? 0}, TaskManager ${m.taskManager}${region !== undefined ? `, region ${region}` : ''}`,
    `in ${formatExact(m.recordsIn)} (${formatRate(m.recordsInPerSecond)}) · out ${formatExact(m.recordsOut)} (${formatRate(m.recordsOutPerSecond)})`,
    `busy ${Math.round(m.busyMsPerSecond)} · idle ${Math.round(m.idleMsPerSecond)} · back-pressured ${Math.round(m.backPressuredMsPerSecond)} ms/s`,
  ];
  if (m.watermark !== null) lines.push(`watermark ${formatVirtualTime(m.watermark)}`);
  if (m.lateRecordsDropped > 0) lines.push(`${formatExact(m.lateRecordsDropped)} late records dropped`);
  if (m.slowFactor !== 1) lines.push(`slowed down ×${m.slowFactor}`);
  lines.push('Click (or Enter) to kill or slow it down.');
  return lines.join('\n');
}

/** Ratios are drawn in steps of this many ms per second, so a cell repaints only when its colour visibly moves. */
const RATIO_STEP_MS = 50;
const step = (ms: number) => Math.round(ms / RATIO_STEP_MS) * RATIO_STEP_MS;

interface RunCellProps {
  operatorId: string;
  name: string;
  index: number;
  state: SubtaskMetrics['state'] | undefined;
  taskManager: number | undefined;
  slowFactor: number;
  /** Busy, idle and back-pressured ms per second, in RATIO_STEP_MS steps. */
  busy: number;
  idle: number;
  backPressured: number;
  theme: Theme;
  region: number | undefined;
  /** A region-sharable committer: its regions, comma-separated ('' otherwise). */
  sharedBy: string;
  /** Flag letters from `cellFlags`: o origin, a acked, w waiting for barriers, r restarted. */
  flags: string;
  onOpen(index: number, anchor: DOMRect): void;
  /** The hover text, built when the pointer or focus arrives (not on every frame). */
  titleOf(index: number): string;
}

/** A cell's props are primitives: it re-renders only when what it draws changes, not on every frame. */
const RunCell = memo(function RunCell(props: RunCellProps) {
  const { operatorId, name, index, state, taskManager, slowFactor, busy, idle, backPressured, theme, region, sharedBy, flags, onOpen, titleOf } = props;
  const look = state ? subtaskLook({ state, busyMsPerSecond: busy, idleMsPerSecond: idle, backPressuredMsPerSecond: backPressured }, theme) : null;
  const hatch = look && look.hatch > 0
    ? `repeating-linear-gradient(135deg, rgba(255,255,255,${(0.12 + 0.23 * look.hatch).toFixed(2)}) 0 1.5px, transparent 1.5px 5px)`
    : undefined;
  const slow = slowFactor !== 1;
  const regionFill = region === undefined ? undefined : regionColours(region, theme).fill;
  const shared = sharedBy === '' ? null : sharedBy.split(',').map(Number);
  // A shared committer is underlined with a stripe per region (as its preview cell is striped).
  const underline = shared ? { borderImage: `${sharedBackground(shared, theme)} 1` } : { borderBottomColor: regionFill };
  const classes = ['subtask', 'subtask--run', 'nodrag', 'nopan', slow ? 'is-slow' : '', state ? `is-${state}` : '',
    shared ? 'is-shared' : '', flags.includes('o') ? 'is-bp-origin' : '', flags.includes('a') ? 'is-acked' : '', flags.includes('w') ? 'is-awaiting-barrier' : '', flags.includes('r') ? 'was-restarted' : ''].filter(Boolean).join(' ');
  const refreshTitle = (e: { currentTarget: HTMLElement }) => {
    e.currentTarget.title = titleOf(index);
  };
  return (
    <button
      type="button"
      role="listitem"
      className={classes}
      data-testid={`subtask-${operatorId}-${index}`}
      data-state={state}
      data-taskmanager={taskManager}
      data-region={region}
      data-regions={sharedBy === '' ? undefined : sharedBy}
      data-busy={state ? busy : undefined}
      data-idle={state ? idle : undefined}
      data-back-pressured={state ? backPressured : undefined}
      data-slow-factor={state ? slowFactor : undefined}
      data-origin={flags.includes('o') || undefined}
      data-acked={flags.includes('a') || undefined}
      data-awaiting-barrier={flags.includes('w') || undefined}
      aria-haspopup="menu"
      aria-label={`${name} subtask ${index}, ${state ?? 'waiting'}${taskManager !== undefined ? `, TaskManager ${taskManager}` : ''}${region !== undefined ? `, region ${region}` : ''}${shared ? `, ${sharedTitle(shared)}` : ''}`}
      onPointerEnter={refreshTitle}
      onFocus={refreshTitle}
      style={look ? { backgroundColor: look.fill, backgroundImage: hatch, color: look.text, ...underline } : underline}
      onClick={(e) => {
        e.stopPropagation();
        onOpen(index, e.currentTarget.getBoundingClientRect());
      }}
    >
      {look?.mark ?? index}
      {slow && <span className="subtask__slow">×{slowFactor}</span>}
    </button>
  );
});

function RunCells({ operatorId, name, parallelism }: { operatorId: string; name: string; parallelism: number }) {
  const store = useAppStore();
  const subtasks = useApp((s) => s.runIndex?.subtasks.get(operatorId));
  const theme = useApp((s) => s.theme);
  const regions = runRegions(useApp((s) => s.runJob));
  const sharedRegions = runSharedRegions(useApp((s) => s.runJob));
  const count = subtasks?.length ?? parallelism;
  const flags = useApp((s) => cellFlags(s, operatorId, count));
  const [menu, setMenu] = useState<{ index: number; anchor: DOMRect } | null>(null);
  const cells = useRef<HTMLDivElement>(null);
  const onOpen = useCallback((index: number, anchor: DOMRect) => setMenu({ index, anchor }), []);
  const openIndex = menu?.index;
  const onClose = useCallback((returnFocus: boolean) => {
    setMenu(null);
    if (returnFocus && openIndex !== undefined) {
      cells.current?.querySelector<HTMLElement>(`[data-testid="subtask-${CSS.escape(operatorId)}-${openIndex}"]`)?.focus();
    }
  }, [operatorId, openIndex]);
  const onChoose = useCallback((fault: Fault) => {
    injectFromUi(store, describeFault(fault, store.getState().runJob), fault);
  }, [store]);
  const { indexes, hidden } = visibleCells(count);
  const sharedIds = sharedRegions.get(`${operatorId}#0`);
  const sharedCaption = count === 1 && sharedIds !== undefined ? `shared by regions ${sharedIds.join(', ')}` : undefined;
  const flagList = flags === '' ? [] : flags.split('|');
  const byIndex = (index: number) => subtasks?.[index]?.index === index ? subtasks[index] : subtasks?.find((s) => s.index === index);
  const titleOf = useCallback((index: number) => {
    const list = store.getState().runIndex?.subtasks.get(operatorId);
    const m = list?.[index]?.index === index ? list[index] : list?.find((x) => x.index === index);
    const flags = cellFlags(store.getState(), operatorId, list?.length ?? 0).split('|')[index] ?? '';
    const note = flags.includes('a') ? '\n● acknowledged the checkpoint in flight' : flags.includes('w') ? '\n◌ waiting for the barriers of the checkpoint in flight (aligning or behind a backlog)' : '';
    const shared = runSharedRegions(store.getState().runJob).get(`${operatorId}#${index}`);
    const sharedNote = shared ? `\nRegion-sharable committer, ${sharedTitle(shared)}: commits each region's transactions on its own and stays up while one of them restarts` : '';
    return subtaskTitle(name, index, m, shared ? undefined : runRegions(store.getState().runJob).get(`${operatorId}#${index}`)) + sharedNote + note;
  }, [store, operatorId, name]);
  return (
    <div ref={cells} className="subtasks subtasks--run" role="list" aria-label={`${name}: subtasks by busy, idle and back-pressured time`}>
      {indexes.map((index) => {
        const m = byIndex(index);
        return (
          <RunCell key={index} operatorId={operatorId} name={name} index={index} state={m?.state} taskManager={m?.taskManager} slowFactor={m?.slowFactor ?? 1}
            busy={step(m?.busyMsPerSecond ?? 0)} idle={step(m?.idleMsPerSecond ?? 0)} backPressured={step(m?.backPressuredMsPerSecond ?? 0)}
            theme={theme} region={sharedRegions.has(`${operatorId}#${index}`) ? undefined : regions.get(`${operatorId}#${index}`)}
            sharedBy={sharedRegions.get(`${operatorId}#${index}`)?.join(',') ?? ''} flags={flagList[index] ?? ''} onOpen={onOpen} titleOf={titleOf} />
        );
      })}
      {hidden > 0 && <span className="subtask subtask--more" title={`${hidden} more subtasks`}>+{hidden}</span>}
      {sharedCaption !== undefined && <span className="subtasks__shared-note" data-testid={`run-shared-${operatorId}`}>{sharedCaption}</span>}
      {menu && (
        <SubtaskMenu operatorId={operatorId} operatorName={name} index={menu.index} slowFactor={byIndex(menu.index)?.slowFactor ?? 1}
          anchor={menu.anchor} onChoose={onChoose} onClose={onClose} />
      )}
    </div>
  );
}

export function SubtaskCells({ operatorId, name, parallelism }: { operatorId: string; name: string; parallelism: number }) {
  const running = useApp((s) => s.runActive);
  return running
    ? <RunCells operatorId={operatorId} name={name} parallelism={parallelism} />
    : <RegionCells operatorId={operatorId} parallelism={parallelism} />;
}
