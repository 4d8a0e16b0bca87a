import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCatalogueMarkdown } from './catalogueDoc';
import { renderExpressionsMarkdown } from './expressionsDoc';

const docs: [string, () => string][] = [
  ['operators.md', renderCatalogueMarkdown],
  ['expressions.md', renderExpressionsMarkdown],
];

describe('generated reference docs', () => {
  for (const [file, render] of docs) {
    it(`docs/${file} matches the code it documents (regenerate with \`npm run docs\`)`, () => {
      const path = fileURLToPath(new URL(`../../../docs/${file}`, import.meta.url));
      const rendered = render();
      if (process.env.UPDATE_DOCS === '1') writeFileSync(path, rendered);
      expect(readFileSync(path, 'utf8')).toBe(rendered);
    });
  }
});
