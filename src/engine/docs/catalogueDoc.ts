/**
 * Renders the operator catalogue as Markdown (docs/operators.md), so the reference users read
 * is generated from the same data the validator and the inspector use and cannot drift.
 */
import { CATALOGUE, OPERATOR_KINDS, type ConfigField } from '../job/catalogue';
import type { OperatorCategory } from '../job/types';

const CATEGORY_TITLES: Record<OperatorCategory, string> = {
  source: 'Sources',
  stateless: 'Stateless transforms',
  keyed: 'Keyed operators (need a `hash` edge in)',
  sink: 'Sinks',
};

function formatDefault(field: ConfigField): string {
  return typeof field.default === 'string' ? `\`${JSON.stringify(field.default)}\`` : `\`${String(field.default)}\``;
}

function formatType(field: ConfigField): string {
  if (field.type === 'enum') return (field.options ?? []).map((o) => `\`${o}\``).join(' \\| ');
  const range = field.min !== undefined && field.max !== undefined ? ` ${field.min.toLocaleString('en-US')}–${field.max.toLocaleString('en-US')}` : '';
  const unit = field.unit ? ` (${field.unit})` : '';
  return `${field.type}${range}${unit}`;
}

function formatWhen(field: ConfigField): string {
  if (!field.visibleWhen) return '';
  const values = field.visibleWhen.oneOf.map((v) => `\`${String(v)}\``).join(' or ');
  return ` Only when \`${field.visibleWhen.field}\` is ${values}.`;
}

function inputsText(min: number, max: number): string {
  if (max === 0) return 'no inputs';
  return min === 1 ? 'one or more inputs' : `${min} or more inputs`;
}

/** The whole operator reference as Markdown. */
export function renderCatalogueMarkdown(): string {
  const lines: string[] = [
    '# Operator catalogue (job/1)',
    '',
    '<!-- Generated from src/engine/job/catalogue.ts by `npm run docs`; edit the catalogue, not this file. -->',
    '',
    'Every field is optional in a job file; a missing field takes its default.',
    'Expressions use the small expression language described in [expressions.md](expressions.md).',
    '',
  ];
  for (const category of Object.keys(CATEGORY_TITLES) as OperatorCategory[]) {
    lines.push(`## ${CATEGORY_TITLES[category]}`, '');
    for (const kind of OPERATOR_KINDS.filter((k) => CATALOGUE[k].category === category)) {
      const info = CATALOGUE[kind];
      lines.push(`### \`${kind}\` — ${info.label}`, '', info.description, '',
        `Takes ${inputsText(info.minInputs, info.maxInputs)}${info.hasOutputs ? '' : ', has no outputs'}; default parallelism ${info.defaultParallelism}.`, '');
      if (info.fields.length === 0) {
        lines.push('No settings.', '');
        continue;
      }
      lines.push('| field | type | default | meaning |', '| --- | --- | --- | --- |');
      for (const field of info.fields) {
        lines.push(`| \`${field.name}\` | ${formatType(field)} | ${formatDefault(field)} | ${field.help}${formatWhen(field)} |`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
