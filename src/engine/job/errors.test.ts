import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_TEMPLATES, formatError, show, SHOWN_VALUE_MAX, type ErrorCode } from './errors';

const ENGINE_DIR = fileURLToPath(new URL('../', import.meta.url));

/** The non-test sources of the expression language and the job model. */
function sources(): string {
  return ['expr/', 'job/'].flatMap((dir) => readdirSync(`${ENGINE_DIR}${dir}`)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'errors.ts')
    .map((file) => readFileSync(`${ENGINE_DIR}${dir}${file}`, 'utf8'))).join('\n');
}

describe('the error catalogue', () => {
  const codes = Object.keys(ERROR_TEMPLATES) as ErrorCode[];

  it('has stable area.name codes', () => {
    for (const code of codes) expect(code).toMatch(/^(json|job|string|operator|config|edge|graph|layout|expr)\.[a-z][A-Za-z]+$/);
  });

  it('uses every code somewhere (no dead entries)', () => {
    const text = sources();
    for (const code of codes) expect(text.includes(`'${code}'`), code).toBe(true);
  });

  it('job messages are sentences that say what to do', () => {
    for (const code of codes.filter((c) => !c.startsWith('expr.'))) {
      const template: string = ERROR_TEMPLATES[code];
      expect(template, code).toMatch(/^[A-Z{"]/);
      expect(template.endsWith('.'), code).toBe(true);
      // Either "X must be Y, not Z." (the fix is the rule) or a problem followed by what to do.
      const instructs = template.includes(' must ') || template.split('. ').length > 1;
      expect(instructs, `${code} should say what to do`).toBe(true);
    }
  });

  it('fills every placeholder', () => {
    const message = formatError('graph.tooFewInputs', { id: '"u"', kind: 'union', need: 'at least 2 inputs', count: 1, missing: 1 });
    expect(message).toBe('Operator "u" (union) needs at least 2 inputs but has 1. Connect 1 more.');
    expect(message).not.toMatch(/\{[A-Za-z]+\}/);
  });
});

describe('show', () => {
  it('quotes text, cuts long values and names other types', () => {
    expect(show('map')).toBe('"map"');
    expect(show('x'.repeat(10_000))).toBe(`"${'x'.repeat(SHOWN_VALUE_MAX)}…"`);
    expect(show(12)).toBe('12');
    expect(show(false)).toBe('false');
    expect(show(null)).toBe('null');
    expect(show([1])).toBe('a list');
    expect(show({})).toBe('an object');
    expect(show(undefined)).toBe('nothing');
    expect(show(Number.NaN)).toBe('NaN');
  });
});
