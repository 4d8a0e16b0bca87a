/**
 * Collecting validation problems, and the JSON paths that locate them.
 *
 * Validation reports every problem at once, so checks add to an `Issues` list instead of
 * throwing. The list is capped, so a document with a million bad values yields a bounded
 * report.
 */
import { formatError, type ErrorCode, type ErrorParams } from './errors';
import { MAX_REPORTED_ERRORS } from './limits';
import type { ValidationError } from './types';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The JSON path of a child: `$.operators[2].config.keys`; keys that are not identifiers are
 * bracketed and quoted (`$.layout["map-1"]`), and long keys are cut so paths stay readable.
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key) && key.length <= 64) return `${parent}.${key}`;
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return `${parent}[${JSON.stringify(shown)}]`;
}

/** An ordered, capped list of validation problems. */
export class Issues {
  readonly errors: ValidationError[] = [];
  private truncated = false;

  /** Adds a problem from the catalogue; past `MAX_REPORTED_ERRORS`, adds one final notice instead. */
  add<C extends ErrorCode>(code: C, path: string, params: ErrorParams<C>, id?: string): void {
    if (this.truncated) return;
    if (this.errors.length >= MAX_REPORTED_ERRORS) {
      this.truncated = true;
      this.errors.push({ path: '$', code: 'json.tooManyErrors', message: formatError('json.tooManyErrors', { count: MAX_REPORTED_ERRORS }) });
      return;
    }
    const error: ValidationError = { path, code, message: formatError(code, params) };
    if (id !== undefined) error.id = id;
    this.errors.push(error);
  }

  /** True when nothing has been reported. */
  get empty(): boolean {
    return this.errors.length === 0;
  }
}
