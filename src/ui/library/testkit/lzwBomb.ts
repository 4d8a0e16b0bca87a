/** Test data for the share-link decoder; not part of the app. */

/**
 * An lz-string stream of "a" followed by `codes` codes that each name the entry being defined
 * (LZW's KwKwK case), so the k-th code expands to k+1 characters: about codes²/2 in all.
 * Compressing such text with lz-string itself takes minutes, hence this writer.
 */
export function lzwBomb(codes: number): string {
  const bits: number[] = [];
  const write = (value: number, count: number) => {
    for (let i = 0; i < count; i += 1) bits.push((value >> i) & 1);
  };
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  write(0, 2); // an 8-bit literal follows
  write('a'.charCodeAt(0), 8);
  for (let k = 0; k < codes; k += 1) {
    write(dictSize, numBits);
    dictSize += 1;
    enlargeIn -= 1;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
  }
  write(2, numBits); // end of stream
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
  let out = '';
  for (let i = 0; i < bits.length; i += 6) {
    let value = 0;
    for (let j = 0; j < 6; j += 1) value = (value << 1) | (bits[i + j] ?? 0);
    out += alphabet.charAt(value);
  }
  return `${out}A`;
}
