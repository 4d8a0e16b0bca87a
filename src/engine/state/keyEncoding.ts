/**
 * Encoding of record keys and namespaces into the port's `userKey` strings.
 *
 * A userKey is `encodedKey` for a state without namespace, `encodedKey SEP namespace` with
 * one. Non-string keys carry a type tag so `'1'` (String) and `1` (Integer) never share a
 * row, and the separator is escaped so no encoded key is a prefix of another key's rows: the rows
 * of one record key are exactly the userKeys equal to `encodedKey` or starting with
 * `encodedKey + SEP`. That prefix property is what an IndexedDB backend needs to load a key's
 * state with one key range per state.
 */
import type { JavaKey } from '../keygroups/javaHash';

/** Separates the encoded key from the namespace; never occurs inside an escaped part. */
export const KEY_SEPARATOR = '\u0000';

const ESCAPE = '\u0001';

/** Escapes `\u0000` and `\u0001` so the separator cannot appear inside a part. */
export function escapePart(text: string): string {
  if (text.indexOf(KEY_SEPARATOR) < 0 && text.indexOf(ESCAPE) < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === KEY_SEPARATOR) out += `${ESCAPE}0`;
    else if (ch === ESCAPE) out += `${ESCAPE}1`;
    else out += ch;
  }
  return out;
}

/** Reverses {@link escapePart}. */
export function unescapePart(text: string): string {
  if (text.indexOf(ESCAPE) < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === ESCAPE) {
      out += text[i + 1] === '0' ? KEY_SEPARATOR : ESCAPE;
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Starts every tagged (non-plain) encoded key; plain strings never start with it. */
const TAG = '\u0002';

/** Does `text` need the tagged form (it holds TAG, \u0000 or \u0001 anywhere)? */
function needsTag(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 3) return true;
  return false;
}

/**
 * The encoded form of a record key. A String key is itself (no allocation on the hot path)
 * unless it contains a character below U+0003; everything else is tagged: `TAG s…` escaped
 * String, `TAG i…` Integer, `TAG l…` Long, `TAG b0`/`TAG b1` Boolean. So `'1'` and `1` never
 * share a row, and no encoded key contains the separator.
 */
export function encodeKey(key: JavaKey): string {
  switch (typeof key) {
    case 'string': return needsTag(key) ? `${TAG}s${escapePart(key)}` : key;
    case 'number': return `${TAG}i${String(key)}`;
    case 'bigint': return `${TAG}l${key.toString()}`;
    default: return key ? `${TAG}b1` : `${TAG}b0`;
  }
}

/** Reverses {@link encodeKey}. @throws Error on a string that is not an encoded key. */
export function decodeKey(encoded: string): JavaKey {
  if (encoded[0] !== TAG) return encoded;
  const body = encoded.slice(2);
  switch (encoded[1]) {
    case 's': return unescapePart(body);
    case 'i': return Number(body);
    case 'l': return BigInt(body);
    case 'b': return body === '1';
    default: throw new Error(`Not an encoded state key: ${JSON.stringify(encoded)}.`);
  }
}

/** The userKey of a key's row in a namespace (`''` is the default namespace: no suffix). */
export function userKeyOf(encodedKey: string, namespace: string): string {
  return namespace === '' ? encodedKey : encodedKey + KEY_SEPARATOR + escapePart(namespace);
}

/** Splits a userKey into encoded key and namespace. */
export function splitUserKey(userKey: string): { encodedKey: string; namespace: string } {
  const at = userKey.indexOf(KEY_SEPARATOR);
  if (at < 0) return { encodedKey: userKey, namespace: '' };
  return { encodedKey: userKey.slice(0, at), namespace: unescapePart(userKey.slice(at + 1)) };
}
