/**
 * The key of a record at a keyed operator, per input (Flink's `KeySelector`, one per input as
 * in two-input keyed operators). The key source is the input hash edge's `key` (a field name
 * or an expression) and is read with the network's own `keyExtractor`, so the receiving side
 * computes exactly the key the sender routed by. Keys must be what the network can hash: text,
 * an int32 number or a boolean.
 */
import { isInt32, type JavaKey } from '../keygroups/javaHash';
import { keyExtractor, type KeyExtractor } from '../network/HashSelector';
import type { StreamRecord } from '../runtime/types';

export class InputKeySelector {
  private readonly extractors: (KeyExtractor | undefined)[];

  /**
   * @param sources the key source of each input, in the operator's input order; `undefined`
   * for an input that is not a hash edge (keyed operators have none).
   * @throws Error when a source does not parse (validation should have caught it).
   */
  constructor(readonly sources: readonly (string | undefined)[]) {
    this.extractors = sources.map((source) => (source === undefined ? undefined : keyExtractor(source)));
  }

  /**
   * The key of `record` on `input`.
   *
   * @throws Error (an `ExpressionError` from the key expression, or a plain Error for a key that
   * is not text, int32 or boolean); operators wrap it in a `UserFunctionError`.
   */
  keyOf(record: StreamRecord, input: number): JavaKey {
    const extract = this.extractors[input];
    if (extract === undefined) {
      throw new Error(`Input ${input} has no key: every input of a keyed operator must be a hash edge.`);
    }
    const key = extract(record);
    if (typeof key === 'string' || typeof key === 'boolean' || (typeof key === 'number' && isInt32(key))) return key;
    throw new Error(
      `the key '${this.sources[input] ?? ''}' is ${Array.isArray(key) ? 'a list' : JSON.stringify(key)} for a record; ` +
        'keys must be text, an integer within the int32 range, or a boolean.',
    );
  }
}
