import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN_CONFIG, resolveRunConfig } from './runConfig';

describe('resolveRunConfig', () => {
  it('fills every default', () => {
    expect(resolveRunConfig(undefined)).toEqual({ ok: true, config: DEFAULT_RUN_CONFIG });
    expect(resolveRunConfig({ seed: 7, speed: 'max' })).toEqual({ ok: true, config: { ...DEFAULT_RUN_CONFIG, seed: 7, speed: 'max' } });
  });

  it('reports every impossible setting with its path', () => {
    const result = resolveRunConfig({ taskManagers: 0, speed: -1, checkpointIntervalMs: 5, failover: 'pray', colour: 'red' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual(['$.checkpointIntervalMs', '$.colour', '$.failover', '$.speed', '$.taskManagers']);
    expect(result.errors.find((e) => e.path === '$.taskManagers')?.message).toContain('from 1 to 16');
  });

  it('chaining is on by default and must be a boolean', () => {
    expect(DEFAULT_RUN_CONFIG.chaining).toBe(true);
    expect(resolveRunConfig({ chaining: false })).toEqual({ ok: true, config: { ...DEFAULT_RUN_CONFIG, chaining: false } });
    expect(resolveRunConfig({ chaining: 'yes' })).toMatchObject({ ok: false, errors: [{ path: '$.chaining' }] });
  });

  it('checks the fault-tolerance settings with clear messages', () => {
    expect(DEFAULT_RUN_CONFIG).toMatchObject({ checkpointIntervalMs: 2000, checkpointType: 'incremental', failover: 'region', restartAttempts: 3 });
    const result = resolveRunConfig({ regionalFailureThreshold: 0, restartAttempts: -1, checkpointTimeoutMs: 1.5, restartDelayMs: 'soon' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual(['$.checkpointTimeoutMs', '$.regionalFailureThreshold', '$.restartAttempts', '$.restartDelayMs']);
    expect(result.errors.find((e) => e.path === '$.regionalFailureThreshold')?.message).toContain('fraction');
    expect(resolveRunConfig({ checkpointMode: 'regional', failover: 'full', tolerableCheckpointFailures: 2, minPauseBetweenCheckpointsMs: 500 })).toMatchObject({ ok: true });
  });

  it('accepts checkpoints off', () => {
    expect(resolveRunConfig({ checkpointIntervalMs: 0 })).toMatchObject({ ok: true });
  });

  it('refuses a non-object and never touches prototypes', () => {
    expect(resolveRunConfig('fast')).toMatchObject({ ok: false });
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "seed": 3}') as unknown;
    expect(resolveRunConfig(hostile)).toMatchObject({ ok: false });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
