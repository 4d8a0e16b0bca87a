/**
 * lz-string's `decompressFromEncodedURIComponent`, with a cap on the output.
 *
 * Why not call lz-string and measure afterwards: an LZW stream can repeat "the newest dictionary
 * entry plus one character", so n codes expand to about n²/2 characters. A share link of some
 * 20 kB can therefore decompress to hundreds of megabytes and freeze the tab before any size
 * check runs. This decoder is lz-string 1.5's `_decompress` (same bit layout, same answers for
 * every input, checked against the library in the tests) that stops as soon as the output passes
 * `maxChars`.
 */

/** lz-string's URI-safe alphabet: 6 bits per character. */
const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE_OF: ReadonlyMap<string, number> = new Map(Array.from(URI_SAFE, (ch, i) => [ch, i]));
const RESET_VALUE = 32; // the top bit of a 6-bit character

export type BoundedDecompressResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'invalid' | 'too-large' };

/** Reads lz-string's little-endian bit fields from a URI-safe string. */
class BitReader {
  private value: number;
  private position = RESET_VALUE;
  /** Index of the next character to load; lz-string's `data.index`. */
  index = 1;

  constructor(private readonly input: string) {
    this.value = this.charValue(0);
  }

  /** Unknown characters read as 0, as in lz-string. */
  private charValue(i: number): number {
    return VALUE_OF.get(this.input.charAt(i)) ?? 0;
  }

  read(bitCount: number): number {
    let bits = 0;
    for (let power = 1, n = 0; n < bitCount; n += 1, power *= 2) {
      const bit = this.value & this.position;
      this.position >>= 1;
      if (this.position === 0) {
        this.position = RESET_VALUE;
        this.value = this.charValue(this.index++);
      }
      if (bit > 0) bits += power;
    }
    return bits;
  }
}

/**
 * Decode `input` (lz-string `compressToEncodedURIComponent` output). Returns `too-large` as soon
 * as the text would exceed `maxChars` UTF-16 code units, and `invalid` where lz-string would return
 * `null` or `''` for a non-empty stream (corrupt or truncated input).
 */
export function decompressFromEncodedURIComponentBounded(input: string, maxChars: number): BoundedDecompressResult {
  if (input === '') return { ok: false, reason: 'invalid' };
  const reader = new BitReader(input.replace(/ /g, '+'));
  const dictionary: string[] = [];
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  const result: string[] = [];

  const first = reader.read(2);
  if (first === 2) return { ok: true, text: '' };
  if (first === 3) return { ok: false, reason: 'invalid' };
  let w = String.fromCharCode(reader.read(first === 0 ? 8 : 16));
  dictionary[3] = w;
  result.push(w);
  let length = 1;

  for (;;) {
    if (reader.index > input.length) return { ok: false, reason: 'invalid' };
    let c = reader.read(numBits);
    if (c === 2) return { ok: true, text: result.join('') };
    if (c === 0 || c === 1) {
      dictionary[dictSize++] = String.fromCharCode(reader.read(c === 0 ? 8 : 16));
      c = dictSize - 1;
      enlargeIn -= 1;
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
    let entry = dictionary[c];
    if (!entry) {
      if (c !== dictSize) return { ok: false, reason: 'invalid' };
      entry = w + w.charAt(0);
    }
    length += entry.length;
    if (length > maxChars) return { ok: false, reason: 'too-large' };
    result.push(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn -= 1;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
  }
}
