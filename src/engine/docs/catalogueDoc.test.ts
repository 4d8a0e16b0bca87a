import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCatalogueMarkdown } from './catalogueDoc';

const docPath = fileURLToPath(new URL('../../../docs/operators.md', import.meta.url));

describe('docs/operators.md', () => {
  it('matches the operator catalogue (regenerate with `npm run docs`)', () => {
    const rendered = renderCatalogueMarkdown();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docPath, rendered);
    expect(readFileSync(docPath, 'utf8')).toBe(rendered);
  });
});
