import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NETWORK_CONFIG, checkChannelSelection, isLoadBalancing, resolveNetworkConfig,
} from './config';

describe('network config', () => {
  it('defaults to Flink\'s buffers-per-channel, floating-buffers-per-gate and max-buffers-per-channel', () => {
    expect(resolveNetworkConfig()).toEqual({
      bufferCapacity: 256,
      exclusiveBuffersPerChannel: 2,
      floatingBuffersPerGate: 8,
      maxBacklogBuffersPerChannel: 10,
      channelSelection: 'round-robin',
    });
    expect(Object.isFrozen(DEFAULT_NETWORK_CONFIG)).toBe(true);
  });

  it('overlays overrides', () => {
    expect(resolveNetworkConfig({ bufferCapacity: 8, channelSelection: 'backlog' })).toMatchObject({
      bufferCapacity: 8, channelSelection: 'backlog', exclusiveBuffersPerChannel: 2,
    });
  });

  it.each([
    [{ bufferCapacity: 0 }, /bufferCapacity/],
    [{ bufferCapacity: 1.5 }, /bufferCapacity/],
    [{ exclusiveBuffersPerChannel: -1 }, /exclusiveBuffersPerChannel/],
    [{ floatingBuffersPerGate: Number.NaN }, /floatingBuffersPerGate/],
    [{ maxBacklogBuffersPerChannel: 0 }, /maxBacklogBuffersPerChannel/],
    [{ exclusiveBuffersPerChannel: 0, floatingBuffersPerGate: 0 }, /both 0/],
    [{ channelSelection: 'random' as never }, /unknown/],
  ])('rejects %j', (overrides, message) => {
    expect(() => resolveNetworkConfig(overrides)).toThrow(message);
  });

  it('allows channels with only floating buffers', () => {
    expect(resolveNetworkConfig({ exclusiveBuffersPerChannel: 0 }).floatingBuffersPerGate).toBe(8);
  });

  it('knows which partitioners balance load', () => {
    expect(isLoadBalancing('rebalance')).toBe(true);
    expect(isLoadBalancing('rescale')).toBe(true);
    expect(isLoadBalancing('hash')).toBe(false);
    expect(() => checkChannelSelection('backlog')).not.toThrow();
  });
});
