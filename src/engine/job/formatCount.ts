/**
 * Whole numbers with thousands separators for messages (`1,048,576`).
 *
 * Written out rather than `toLocaleString`, whose output depends on the runtime's locale
 * data; messages must read the same everywhere, and in tests.
 */

/** `1048576` → `1,048,576`; negative numbers keep their sign; fractions are not expected. */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.trunc(n)));
  let grouped = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) grouped += ',';
    grouped += digits.charAt(i);
  }
  return n < 0 ? `-${grouped}` : grouped;
}
