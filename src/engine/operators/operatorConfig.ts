/**
 * Typed reads of an operator's config after `configWithDefaults`: validation already checked
 * the job, so a wrong type here is a bug in the caller, reported with the field's name.
 */
import { configWithDefaults } from '../job/catalogue';
import type { OperatorSpec } from '../job/types';

export type OperatorConfig = Readonly<Record<string, unknown>>;

/** The operator's config over the catalogue defaults. */
export function fullConfig(spec: Pick<OperatorSpec, 'kind' | 'config'>): OperatorConfig {
  return configWithDefaults(spec.kind, spec.config);
}

export function configString(config: OperatorConfig, name: string): string {
  const value = config[name];
  if (typeof value !== 'string') throw new TypeError(`Config field '${name}' must be text, got ${JSON.stringify(value)}.`);
  return value;
}

export function configNumber(config: OperatorConfig, name: string): number {
  const value = config[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`Config field '${name}' must be a finite number, got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function configBoolean(config: OperatorConfig, name: string): boolean {
  const value = config[name];
  if (typeof value !== 'boolean') throw new TypeError(`Config field '${name}' must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}
