/**
 * The error catalogue: every user-facing message about a job file or an expression, by a
 * stable code.
 *
 * Codes are a public contract (the UI, the automation API's `loadJob` and users' test suites match on
 * them): add codes freely, never rename or remove one. Each template says what is wrong and
 * what to do. Placeholders are `{name}`; the type of `formatError` derives the required
 * parameters from the template text, so a missing parameter is a compile error. Templates
 * therefore never contain literal braces.
 *
 * This module imports nothing, so the expression language can use it without a cycle.
 */

export const ERROR_TEMPLATES = {
  // --- the document as a whole -------------------------------------------------------------
  'json.tooLarge': 'The job file is {size} bytes; the limit is {limit} bytes. Remove unused operators or shorten long texts.',
  'json.notText': 'Expected the job as JSON text, not {actual}. Pass the file contents as a string, or call validateJob with the parsed object.',
  'json.syntax': 'The job file is not valid JSON: {detail} at line {line}, column {column}. Fix the file or export it again from Sluice.',
  'json.notObject': 'A job file must be a JSON object with "sluice": "job/1", operators and edges, not {actual}.',
  'json.forbiddenKey': 'The key {key} is not allowed anywhere in a job file, because it could tamper with JavaScript objects. Remove it.',
  'json.tooComplex': 'The job file holds more than {limit} values, far more than any valid job. Remove what does not belong in it.',
  'json.unknownField': 'Unknown field {field} in {where}. Remove it; the allowed fields are: {allowed}.',
  'json.missingField': 'Missing {field} in {where}. Add it: {hint}.',
  'json.wrongType': '{field} in {where} must be {expected}, not {actual}.',
  'json.tooManyErrors': 'Stopped after {count} problems. Fix these first, then validate again.',
  'json.unreadable': 'The job could not be read ({detail}). Pass plain JSON data: objects, arrays, strings, numbers, booleans and null.',

  // --- job fields ----------------------------------------------------------------------------
  'job.version': 'Unknown job format version {version}. This Sluice reads "job/1": set "sluice": "job/1", or export the job again from a Sluice that wrote it.',
  'job.formula': 'Unknown maxParallelismFormula {value}. Use "sluice" (the default) or "flink".',
  'job.tooManyOperators': 'The job has {count} operators; the limit is {limit}. Split it into smaller jobs.',
  'job.tooManyEdges': 'The job has {count} edges; the limit is {limit}. Split it into smaller jobs.',
  'string.tooLong': '{field} in {where} is {length} characters long; the limit is {limit}. Shorten it.',
  'string.empty': '{field} in {where} is empty. Give it some text.',

  // --- operators -----------------------------------------------------------------------------
  'operator.idInvalid': 'Operator id {value} is not valid. Use 1 to 64 letters, digits, "_" or "-".',
  'operator.idReserved': 'Operator id {value} is reserved by JavaScript. Choose another id.',
  'operator.uidInvalid': 'The uid {value} of operator {id} is not valid. Use 1 to 64 letters, digits, "_" or "-".',
  'operator.kindUnknown': 'Unknown operator kind {kind}. Use one of: {kinds}.',
  'operator.parallelism': 'Parallelism of operator {id} must be a whole number of at least 1, not {value}.',
  'operator.parallelismAboveMax': 'Parallelism {parallelism} of operator {id} is above its max parallelism {max} ({source}). Lower the parallelism or raise maxParallelism (at most {limit}).',
  'operator.sharableParallelism': 'Collect sink {id} is region-sharable, which needs parallelism 1 (one committer shared by the regions feeding it), not {parallelism}. Set its parallelism to 1 or turn regionSharable off.',
  'operator.rescaleModeParallelism': 'Source {id} is in rescale mode, which runs one subtask per partition. Set its parallelism to {partitions} (its partitions), not {parallelism}, or set parallelismMode to "user".',
  'operator.maxParallelism': 'The maxParallelism of operator {id} must be a whole number from 1 to {limit}, not {value}.',

  // --- operator config (checked against the catalogue) ----------------------------------------
  'config.unknownField': 'Operator {id} of kind {kind} has no setting {field}. Remove it; the settings of {kind} are: {allowed}.',
  'config.int': 'Setting {field} of operator {id} must be a whole number from {min} to {max}, not {value}.',
  'config.number': 'Setting {field} of operator {id} must be a number from {min} to {max}, not {value}.',
  'config.boolean': 'Setting {field} of operator {id} must be true or false, not {value}.',
  'config.enum': 'Setting {field} of operator {id} must be one of {options}, not {value}.',
  'config.string': 'Setting {field} of operator {id} must be text of at most {limit} characters, not {value}.',
  'config.expression': 'Setting {field} of operator {id} is not a valid expression: {detail}. Fix it; the expression language is described in docs/expressions.md.',
  'config.fieldName': 'Setting {field} of operator {id} must name a record field (letters, digits and "_", not starting with a digit, at most 64 characters), not {value}.',
  'config.range': 'Setting from ({from}) of operator {id} is after to ({to}). Swap them so the sequence counts up.',

  // --- edges ---------------------------------------------------------------------------------
  'edge.partitionerUnknown': 'Unknown partitioner {value} on edge {edge}. Use one of: {partitioners}.',
  'edge.keyMissing': 'Hash edge {edge} needs a key. Set "key" to a record field or expression, for example "key".',
  'edge.keyNotAllowed': 'Edge {edge} uses {partitioner}, which does not key records. Remove "key", or make the edge a hash edge.',
  'edge.keyInvalid': 'The key of edge {edge} is not a valid expression: {detail}. Fix it; usually it is a field name such as "key".',
  'edge.dangling': 'Edge {edge} refers to {ref}, which is not an operator of this job. Connect it to an existing operator or remove it.',
  'edge.duplicate': 'Edge {edge} appears more than once. Remove the duplicate.',
  'edge.selfLoop': 'Edge {edge} connects operator {op} to itself. Jobs must be acyclic: remove it.',
  'edge.forwardParallelism': 'Forward edge {edge} joins parallelism {fromParallelism} to {toParallelism}, and forward needs equal parallelism (Flink refuses this). Use rescale or rebalance, or equal parallelism.',

  // --- graph rules ---------------------------------------------------------------------------
  'graph.duplicateId': 'Operator id {value} is used more than once (first at {first}). Give each operator its own id.',
  'graph.duplicateUid': 'The uid {value} is used by operators {first} and {id}. Give each operator its own uid, or none.',
  'graph.cycle': 'The operators {cycle} form a cycle, and jobs must be acyclic. Remove one of the edges on it.',
  'graph.sourceInput': 'Operator {to} is a source ({kind}) and cannot have inputs. Remove edge {edge}.',
  'graph.sinkOutput': 'Operator {from} is a sink ({kind}) and cannot have outputs. Remove edge {edge}.',
  'graph.tooFewInputs': 'Operator {id} ({kind}) needs {need} but has {count}. Connect {missing} more.',
  'graph.tooManyInputs': 'Operator {id} ({kind}) takes at most {max} input(s) but has {count}. Remove {extra}.',
  'graph.keyedInput': 'Operator {id} is keyed ({kind}), and keyed operators need a hash (keyBy) input, but edge {edge} is {partitioner}. Make it a hash edge with a key.',

  // --- layout --------------------------------------------------------------------------------
  'layout.unknownOperator': 'The layout has a position for {key}, which is not an operator of this job. Remove it.',
  'layout.tooLarge': 'The layout has {count} positions, but a job has at most {limit} operators. Remove the positions of operators that no longer exist.',
  'layout.position': 'The position of {key} must be an object with finite numbers x and y, not {value}.',

  // --- expressions (parse time) --------------------------------------------------------------
  'expr.empty': 'the expression is empty; write one, for example value * 2',
  'expr.tooLong': 'the expression is {length} characters long; the limit is {limit}',
  'expr.tooDeep': 'the expression nests deeper than {limit} levels at column {column}; simplify it',
  'expr.unexpectedChar': 'unexpected character {char} at column {column}',
  'expr.assignment': 'unexpected "=" at column {column}; use "==" to compare',
  'expr.singleAmpersand': 'unexpected {char} at column {column}; use {suggestion}',
  'expr.unexpectedToken': 'unexpected {token} at column {column}',
  'expr.expected': 'expected {expected} but found {token} at column {column}',
  'expr.unterminatedString': 'the string starting at column {column} is not closed; add the closing {quote}',
  'expr.badEscape': 'unknown escape {escape} at column {column}; use \\\\, \\n, \\t, \\r, \\", \\\' or \\uXXXX',
  'expr.badNumber': 'malformed number {text} at column {column}',
  'expr.unknownFunction': 'unknown function {name} at column {column}; the functions are: {allowed}',
  'expr.arity': '{name}() takes {expected} but has {count} at column {column}',
  'expr.reservedName': 'the name {name} at column {column} is reserved; use another field name',

  // --- expressions (run time, thrown as ExpressionError inside TaskManagers) ------------------
  'expr.operandType': 'operator {op} at column {column} cannot combine {left} and {right}',
  'expr.unaryType': 'operator {op} at column {column} cannot apply to {operand}',
  'expr.conditionType': '{where} at column {column} needs true or false, not {actual}',
  'expr.argType': '{name}() at column {column} needs {expected} as argument {index}, not {actual}',
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_TEMPLATES;

/** The placeholder names of a template, e.g. `'a {x} b {y}'` → `'x' | 'y'`. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The parameters a code's template needs. */
export type ErrorParams<C extends ErrorCode> = Record<Placeholders<(typeof ERROR_TEMPLATES)[C]>, string | number>;

/** Renders a catalogue message. Parameters are inserted verbatim; quote user values with `show`. */
export function formatError<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  const template: string = ERROR_TEMPLATES[code];
  const values = params as Record<string, string | number>;
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => (
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole
  ));
}

/** Longest excerpt of a user value placed in a message; a 10 MB name must not become a 10 MB message. */
export const SHOWN_VALUE_MAX = 60;

/**
 * A user value as it appears in a message: strings quoted and cut to `SHOWN_VALUE_MAX`
 * characters, numbers and booleans as written, anything else by its type.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > SHOWN_VALUE_MAX ? `${value.slice(0, SHOWN_VALUE_MAX)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeJsonType(value);
}

/** The JSON type of a value with its article, for "must be X, not Y" messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': return 'text';
    case 'number': return Number.isFinite(value) ? 'a number' : 'a non-finite number';
    case 'boolean': return 'true or false';
    case 'object': return 'an object';
    case 'undefined': return 'nothing';
    default: return `a ${typeof value}`;
  }
}
