/**
 * Checks a checkpoint configuration, naming the field and what to do, like the other config
 * checks of the engine (network/config.ts).
 */
import type { CheckpointConfig } from './types';

/**
 * @returns the config, unchanged, when every field is possible.
 * @throws RangeError naming the first impossible field.
 */
export function checkCheckpointConfig(config: CheckpointConfig): CheckpointConfig {
  integer('intervalMs', config.intervalMs, 0);
  integer('timeoutMs', config.timeoutMs, 1);
  integer('minPauseMs', config.minPauseMs, 0);
  integer('maxConcurrent', config.maxConcurrent, 1);
  integer('tolerableConsecutiveFailures', config.tolerableConsecutiveFailures, 0);
  integer('retained', config.retained, 1);
  if (config.initialDelayMs !== undefined) integer('initialDelayMs', config.initialDelayMs, 0);
  const threshold = config.regionalFailureThreshold;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`Checkpoint config: regionalFailureThreshold ${String(threshold)} must be a fraction in (0, 1].`);
  }
  if (config.mode !== 'global' && config.mode !== 'regional') {
    throw new RangeError(`Checkpoint config: mode '${String(config.mode)}' is unknown: use 'global' or 'regional'.`);
  }
  if (config.type !== 'full' && config.type !== 'incremental') {
    throw new RangeError(`Checkpoint config: type '${String(config.type)}' is unknown: use 'full' or 'incremental'.`);
  }
  return config;
}

function integer(field: keyof CheckpointConfig, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Checkpoint config: ${field} ${String(value)} must be a whole number ≥ ${min}.`);
  }
}
