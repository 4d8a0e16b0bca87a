/**
 * Renders the expression-language reference (docs/expressions.md). The function list comes
 * from the whitelist itself, so the reference and the parser cannot disagree.
 */
import { FUNCTIONS } from '../expr/functions';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from '../expr/ast';
import { MAX_LIST_LENGTH } from '../expr/functions';

const INTRO = `# Expressions

<!-- Generated from src/engine/expr by \`npm run docs\`; edit the code, not this file. -->

\`map\`, \`filter\`, \`flatMap\` and the \`key\` of \`hash\` edges use one small language over the
fields of a record. It is safe and deterministic: there is no access to anything but the
record, no loops and no side effects. A job file's expressions are parsed when it is
validated (a syntax error names its column) and only ever run inside TaskManager workers.

## Records

A record is a flat object of fields whose values are text, numbers, booleans or null.
Sources produce \`{ key, value, ts }\`: \`datagen\` keys are text like \`"key-17"\` with a
numeric \`value\`; \`sequence\` keys and values are the numbers themselves; \`ts\` is the event
time in virtual milliseconds. A field that a record lacks reads as \`null\`.

## Syntax

| form | examples |
| --- | --- |
| field | \`key\`, \`value\`, \`user_id\` |
| literals | \`42\`, \`2.5\`, \`'text'\`, \`"text"\`, \`true\`, \`false\`, \`null\` |
| arithmetic | \`value * 2 + 1\`, \`value % 10\`, \`-value\`; \`+\` joins text when either side is text |
| comparison | \`==\`, \`!=\`, \`<\`, \`<=\`, \`>\`, \`>=\` (no coercion: \`1 == '1'\` is false) |
| logic | \`&&\` / \`and\`, \`\\|\\|\` / \`or\`, \`!\` / \`not\` |
| choice | \`value > 10 ? 'big' : 'small'\` |
| calls | \`lower(key)\`, \`split(key, '-')\` |

Precedence, loosest first: \`? :\`, \`||\`, \`&&\`, \`== !=\`, \`< <= > >=\`, \`+ -\`, \`* / %\`, unary \`- ! not\`.

## Values and errors

- Numbers stay finite: division or modulo by zero, \`sqrt(-1)\` and overflow give \`null\`,
  never an error — a task that failed on one record would restart, replay it and fail again.
- \`null\` flows through arithmetic and most functions; comparisons with \`null\` are false;
  a \`filter\` treats \`null\` as false.
- Mixing types an operator does not define (\`'a' - 1\`) is an error naming the operator,
  its column and the types; at run time it fails the task, like an exception in a Flink
  user function.
- Limits: ${MAX_EXPRESSION_LENGTH} characters, ${MAX_EXPRESSION_DEPTH} levels of nesting, lists of at most ${MAX_LIST_LENGTH} elements.

## Functions
`;

/** The whole expression reference as Markdown. */
export function renderExpressionsMarkdown(): string {
  const lines = [INTRO];
  for (const info of Object.values(FUNCTIONS)) {
    const colon = info.doc.indexOf(': ');
    const signature = colon > 0 ? info.doc.slice(0, colon) : info.doc;
    const meaning = colon > 0 ? info.doc.slice(colon + 2) : '';
    lines.push(`- \`${signature}\` — ${meaning}`);
  }
  lines.push('');
  return lines.join('\n');
}
