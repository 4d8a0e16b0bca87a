import { describe, expect, it, vi } from 'vitest';
import type { JobGraph } from '../../engine';
import { createAppStore } from '../store/appStore';
import { runCommand } from './dispatch';
import { COMMANDS } from './registry';
import { runReason } from './runCommands';
import { commandForKey, formatShortcut, matchesShortcut, type KeyLike } from './shortcuts';
import type { Effects } from './types';

function job(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Commands',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2 },
      { id: 'agg', kind: 'aggregate', name: 'Agg', parallelism: 4 },
      { id: 'sink', kind: 'collect', name: 'Sink', parallelism: 1 },
    ],
    edges: [{ from: 'agg', to: 'sink', partitioner: 'rebalance' }],
  };
}

function fakeEffects(store: ReturnType<typeof createAppStore>): Effects {
  return {
    viewportCentre: () => ({ x: 0, y: 0 }),
    fitView: vi.fn(),
    undo: () => store.getState().undo(),
    redo: () => store.getState().redo(),
    autoLayout: vi.fn(async () => undefined),
    newJob: vi.fn(async () => undefined),
    saveNow: vi.fn(async () => undefined),
    exportJob: vi.fn(),
    chooseImportFile: vi.fn(),
    copyShareLink: vi.fn(async () => undefined),
  };
}

function setup() {
  const store = createAppStore();
  store.getState().openJob(job());
  const fx = fakeEffects(store);
  return { store, fx, run: (id: Parameters<typeof runCommand>[2]) => runCommand(store, fx, id) };
}

describe('commands', () => {
  it('connects the first selected operator to the second, with a hash edge into keyed operators', () => {
    const { store, run } = setup();
    expect(run('connect')).toBe(false);
    store.getState().select(['src', 'agg']);
    expect(run('connect')).toBe(true);
    expect(store.getState().job.edges.at(-1)).toEqual({ from: 'src', to: 'agg', partitioner: 'hash', key: 'key' });
    expect(store.getState().selectedEdge).toBe('src->agg');
    run('undo');
    expect(store.getState().job.edges).toHaveLength(1);
    run('redo');
    expect(store.getState().job.edges).toHaveLength(2);
  });

  it('explains a refused connection in a toast', () => {
    const { store, run } = setup();
    store.getState().select(['sink', 'src']);
    run('connect');
    expect(store.getState().toasts.at(-1)).toMatchObject({ kind: 'error' });
    expect(store.getState().job.edges).toHaveLength(1);
  });

  it('deletes selected operators with their edges, or the selected edge', () => {
    const { store, run } = setup();
    store.getState().select(['agg']);
    run('delete');
    expect(store.getState().job.operators.map((o) => o.id)).toEqual(['src', 'sink']);
    expect(store.getState().job.edges).toEqual([]);
    run('undo');
    store.getState().select([], 'agg->sink');
    run('delete');
    expect(store.getState().job.edges).toEqual([]);
    expect(store.getState().job.operators).toHaveLength(3);
  });

  it('copies, pastes below and duplicates, selecting the new operators', () => {
    const { store, run } = setup();
    expect(run('paste')).toBe(false);
    store.getState().select(['agg', 'sink']);
    run('copy');
    run('paste');
    const s = store.getState();
    expect(s.selectedOperators).toEqual(['agg-2', 'sink-2']);
    expect(s.job.edges.at(-1)).toEqual({ from: 'agg-2', to: 'sink-2', partitioner: 'rebalance' });
    run('duplicate');
    expect(store.getState().selectedOperators).toEqual(['agg-3', 'sink-3']);
  });

  it('selects all operators', () => {
    const { store, run } = setup();
    run('select-all');
    expect(store.getState().selectedOperators).toEqual(['src', 'agg', 'sink']);
  });

  it('toggles the regions preview and says why an invalid job cannot be previewed', () => {
    const { store, run } = setup();
    run('toggle-regions');
    expect(store.getState().regionsPreview).toBe(true);
    expect(store.getState().toasts.at(-1)?.message).toMatch(/problem/);
  });

  it('runs only a job that can run, and says why not', () => {
    const { store, run } = setup();
    expect(run('run')).toBe(false);
    expect(runReason(store.getState())).toMatch(/Fix \d+ problems? in the job/);
    expect(run('stop')).toBe(false);
    expect(run('pause-resume')).toBe(false);
    expect(run('step')).toBe(false);
  });

  it('disables editing while a run is active', () => {
    const { store, run } = setup();
    store.setState({ runActive: true });
    store.getState().select(['agg']);
    for (const id of ['delete', 'undo', 'redo', 'paste', 'duplicate', 'connect', 'auto-layout'] as const) expect(run(id)).toBe(false);
    expect(run('copy')).toBe(true);
    expect(runReason(store.getState())).toMatch(/stop it first/);
  });

  it('passes effects to effectful commands', () => {
    const { fx, run } = setup();
    run('export');
    run('fit-view');
    expect(fx.exportJob).toHaveBeenCalledOnce();
    expect(fx.fitView).toHaveBeenCalledOnce();
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

  it('matches Mod as Ctrl or Meta, and letters by physical key', () => {
    expect(matchesShortcut('Mod+Z', key('z', { ctrlKey: true }))).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z', { metaKey: true }))).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesShortcut('Mod+Shift+Z', key('Z', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesShortcut('C', key('с', { code: 'KeyC' }))).toBe(true);
    expect(matchesShortcut('C', key('c', { ctrlKey: true }))).toBe(false);
  });

  it('finds the command, and only global ones while typing', () => {
    expect(commandForKey(key('z', { ctrlKey: true }), COMMANDS, false)?.id).toBe('undo');
    expect(commandForKey(key('y', { ctrlKey: true }), COMMANDS, false)?.id).toBe('redo');
    expect(commandForKey(key('Backspace'), COMMANDS, false)?.id).toBe('delete');
    expect(commandForKey(key('Backspace'), COMMANDS, true)).toBeUndefined();
    expect(commandForKey(key('c'), COMMANDS, true)).toBeUndefined();
    expect(commandForKey(key('k', { ctrlKey: true }), COMMANDS, true)?.id).toBe('command-palette');
    expect(commandForKey(key('Enter', { ctrlKey: true }), COMMANDS, true)?.id).toBe('run');
    expect(commandForKey(key('Enter', { ctrlKey: true, shiftKey: true }), COMMANDS, false)?.id).toBe('stop');
    expect(commandForKey(key(' ', { code: 'Space' }), COMMANDS, false)?.id).toBe('pause-resume');
    expect(commandForKey(key(' ', { code: 'Space' }), COMMANDS, true)).toBeUndefined();
    expect(commandForKey(key('.'), COMMANDS, false)?.id).toBe('step');
  });

  it('has no two commands on one shortcut', () => {
    const all = COMMANDS.flatMap((c) => c.shortcuts);
    expect(new Set(all).size).toBe(all.length);
  });

  it('formats shortcuts for people', () => {
    expect(formatShortcut('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('Mod+Shift+Z', true)).toBe('⌘⇧Z');
  });
});
