/**
 * The run bar's settings: speed and channel selection (both switchable while the job runs),
 * seed, cluster shape (TaskManagers × slots) and fault tolerance (checkpoint interval and
 * mode, failover strategy), fixed once the cluster is up.
 */
import { useState } from 'react';
import { MAX_SLOTS_PER_TASK_MANAGER, MAX_TASK_MANAGERS } from '../../engine';
import type { ChannelSelection, RunConfig } from '../../engine/runtime/runConfig';
import { formatSpeed } from '../model/runFormat';
import { useApp, useAppStore } from '../store/appStore';
import { reportFailure } from './report';

const SPEEDS: (number | 'max')[] = [0.1, 0.25, 1, 4, 16, 'max'];
const LOCKED = 'Fixed while the job runs: stop it to change.';

function SpeedSelect() {
  const store = useAppStore();
  const speed = useApp((s) => s.runConfig.speed);
  const options = SPEEDS.includes(speed) ? SPEEDS : [...SPEEDS, speed];
  return (
    <label className="runbar__field" title="Virtual time per wall time; max runs as fast as the machine allows">
      <span className="runbar__label">Speed</span>
      <select
        className="input select runbar__select"
        data-testid="run-speed"
        value={String(speed)}
        onChange={(e) => {
          const value = e.target.value === 'max' ? 'max' : Number(e.target.value);
          reportFailure(store, 'Changing the speed', store.getState().setRunSpeed(value));
        }}
      >
        {options.map((o) => <option key={String(o)} value={String(o)}>{formatSpeed(o)}</option>)}
      </select>
    </label>
  );
}

function ChannelSelect() {
  const store = useAppStore();
  const selection = useApp((s) => s.runConfig.channelSelection);
  return (
    <label className="runbar__field" title="How rebalance and rescale edges pick a channel: in turn, or the one with the smallest backlog (switchable while running)">
      <span className="runbar__label">Channels</span>
      <select
        className="input select runbar__select"
        data-testid="run-channel-selection"
        value={selection}
        onChange={(e) => reportFailure(store, 'Switching the channel selection',
          store.getState().setRunChannelSelection(e.target.value as ChannelSelection))}
      >
        <option value="round-robin">round-robin</option>
        <option value="backlog">backlog-based</option>
      </select>
    </label>
  );
}

const INTERVALS = [0, 500, 1_000, 2_000, 5_000, 10_000];

interface ChoiceProps<K extends 'checkpointIntervalMs' | 'checkpointMode' | 'failover'> {
  field: K;
  testId: string;
  label: string;
  hint: string;
  options: { value: RunConfig[K]; label: string }[];
}

/** A fault-tolerance setting chosen from a list (fixed while the job runs). */
function ChoiceSetting<K extends 'checkpointIntervalMs' | 'checkpointMode' | 'failover'>({ field, testId, label, hint, options }: ChoiceProps<K>) {
  const store = useAppStore();
  const value = useApp((s) => s.runConfig[field]);
  const locked = useApp((s) => s.runActive);
  const all = options.some((o) => o.value === value) ? options : [...options, { value, label: String(value) }];
  return (
    <label className="runbar__field" title={locked ? LOCKED : hint}>
      <span className="runbar__label">{label}</span>
      <select
        className="input select runbar__select"
        data-testid={testId}
        disabled={locked}
        value={String(value)}
        onChange={(e) => {
          const chosen = all.find((o) => String(o.value) === e.target.value);
          if (chosen !== undefined) store.getState().editRunConfig({ [field]: chosen.value } as Partial<RunConfig>);
        }}
      >
        {all.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.label}</option>)}
      </select>
    </label>
  );
}

function FaultToleranceSettings() {
  return (
    <span className="runbar__field" role="group" aria-label="Fault tolerance">
      <ChoiceSetting field="checkpointIntervalMs" testId="run-checkpoint-interval" label="Checkpoints"
        hint="Virtual ms between checkpoints; collect sinks commit their output at each completed checkpoint"
        options={INTERVALS.map((ms) => ({ value: ms, label: ms === 0 ? 'off' : `${ms / 1000} s` }))} />
      <ChoiceSetting field="checkpointMode" testId="run-checkpoint-mode" label="Mode"
        hint="Global: any failure fails a checkpoint. Regional: a failed region keeps its last snapshot and the others complete"
        options={[{ value: 'global', label: 'global' }, { value: 'regional', label: 'regional' }]} />
      <ChoiceSetting field="failover" testId="run-failover" label="Failover"
        hint="What restarts after a failure: everything, the failed task's region, or only the failed task"
        options={[{ value: 'region', label: 'region' }, { value: 'full', label: 'full' }, { value: 'approximate', label: 'approximate' }]} />
    </span>
  );
}

interface IntProps {
  field: 'seed' | 'taskManagers' | 'slotsPerTaskManager';
  testId: string;
  label: string;
  min: number;
  max: number;
  width: string;
  hint: string;
}

/** A whole-number setting: typing keeps a draft until it is a valid value, which is then applied. */
function IntSetting({ field, testId, label, min, max, width, hint }: IntProps) {
  const store = useAppStore();
  const value = useApp((s) => s.runConfig[field]);
  const locked = useApp((s) => s.runActive);
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? String(value);
  const parsed = Number(text);
  const valid = text.trim() !== '' && Number.isInteger(parsed) && parsed >= min && parsed <= max;
  const problem = valid ? null : `${label} must be a whole number from ${min} to ${max}.`;
  return (
    <input
      className="input runbar__number"
      style={{ width }}
      type="number"
      inputMode="numeric"
      data-testid={testId}
      aria-label={label}
      aria-invalid={!valid || undefined}
      title={locked ? LOCKED : problem ?? hint}
      min={min}
      max={max}
      step={1}
      disabled={locked}
      value={text}
      onChange={(e) => {
        const next = e.target.value;
        setDraft(next);
        const n = Number(next);
        if (next.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) {
          store.getState().editRunConfig({ [field]: n } as Partial<RunConfig>);
        }
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

export function RunSettings() {
  return (
    <div className="runbar__settings" role="group" aria-label="Run settings">
      <SpeedSelect />
      <label className="runbar__field">
        <span className="runbar__label">Seed</span>
        <IntSetting field="seed" testId="run-seed" label="Seed" min={0} max={2 ** 32 - 1} width="92px"
          hint="Same job, settings, seed and faults give the same output and trace hash." />
      </label>
      <span className="runbar__field runbar__cluster" role="group" aria-label="Cluster shape">
        <span className="runbar__label">Cluster</span>
        <IntSetting field="taskManagers" testId="run-taskmanagers" label="TaskManagers" min={1} max={MAX_TASK_MANAGERS} width="52px"
          hint="TaskManagers (each is a Web Worker)" />
        <span className="runbar__times" aria-hidden="true">TM ×</span>
        <IntSetting field="slotsPerTaskManager" testId="run-slots" label="Slots per TaskManager" min={1} max={MAX_SLOTS_PER_TASK_MANAGER} width="52px"
          hint="Slots per TaskManager; the job needs as many slots as its highest parallelism" />
        <span className="runbar__times" aria-hidden="true">slots</span>
      </span>
      <ChannelSelect />
      <FaultToleranceSettings />
    </div>
  );
}
