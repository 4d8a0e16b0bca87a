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

/** A paragraph under a category's heading, where its operators share a rule worth explaining once. */
const CATEGORY_NOTES: Partial<Record<OperatorCategory, readonly string[]>> = {
  source: [
    'Sources read replayable partitions (like Kafka partitions); partition *i* goes to subtask *i* mod *p*.',
    'When the parallelism does not divide the partitions, subtasks (and, down forward edges, pipelined',
    'regions) read unequal shares: 6 partitions at parallelism 4 give 2, 2, 1 and 1. With',
    '`"parallelismMode": "rescale"` (seed 2\'s Rescale mode) the source runs one subtask per partition',
    '(its parallelism must equal `partitions`) and its `rescale` edges are wired in gcd(partitions,',
    'downstream parallelism) equal groups, all to all within a group: 6 partitions into 4 subtasks make',
    'two regions of three partitions and two subtasks each. When one count divides the other this is',
    'exactly Flink\'s pointwise wiring; when they share no factor it is one region (balanced, not',
    'isolated). The regions preview lists the partitions each region reads and says whether they are balanced.',
  ],
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
    const note = CATEGORY_NOTES[category];
    if (note !== undefined) lines.push(...note, '');
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
