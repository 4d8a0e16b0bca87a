/**
 * Turns a parsed expression into a closure tree: one small JavaScript function per node,
 * built once per operator and then called per record.
 *
 * An interpreter, never `eval` or `new Function`: the job file is untrusted, and a closure
 * tree can only do what the node types allow. Only TaskManager workers call this; validation
 * stops at parsing, so importing a job never runs any of it.
 */
import type { ExprNode, ExprRecord, Value } from './ast';
import { ExpressionError } from './ExpressionError';
import { lookupFunction } from './functions';
import { binary, condition, unary } from './operators';
import { parseExpression } from './parse';

/** A compiled expression: evaluates against one record; throws `ExpressionError` on a type error. */
export type CompiledExpression = (record: ExprRecord) => Value;

/** Compiles a syntax tree from `parseExpression` into a closure tree. */
export function compileExpression(ast: ExprNode): CompiledExpression {
  switch (ast.type) {
    case 'literal': {
      const value = ast.value;
      return () => value;
    }
    case 'field': {
      const name = ast.name;
      // Own properties only: a record that lacks the field reads null, never an inherited member.
      return (record) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] ?? null : null);
    }
    case 'unary': {
      const operand = compileExpression(ast.operand);
      const { op, offset } = ast;
      return (record) => unary(op, operand(record), offset);
    }
    case 'binary': {
      const left = compileExpression(ast.left);
      const right = compileExpression(ast.right);
      const { op, offset } = ast;
      return (record) => binary(op, left(record), right(record), offset);
    }
    case 'logical':
      return compileLogical(ast.op, compileExpression(ast.left), compileExpression(ast.right), ast.offset);
    case 'conditional': {
      const test = compileExpression(ast.test);
      const consequent = compileExpression(ast.consequent);
      const alternate = compileExpression(ast.alternate);
      const offset = ast.offset;
      return (record) => (condition(test(record), "'?'", offset) ? consequent(record) : alternate(record));
    }
    case 'call':
      return compileCall(ast.name, ast.args.map(compileExpression), ast.offset);
  }
}

function compileLogical(op: '&&' | '||', left: CompiledExpression, right: CompiledExpression, offset: number): CompiledExpression {
  const where = `'${op}'`;
  if (op === '&&') {
    return (record) => condition(left(record), where, offset) && condition(right(record), where, offset);
  }
  return (record) => condition(left(record), where, offset) || condition(right(record), where, offset);
}

function compileCall(name: string, args: CompiledExpression[], offset: number): CompiledExpression {
  const info = lookupFunction(name);
  // The parser admits only whitelisted names; a hand-built tree with another name is a bug.
  if (info === undefined) throw new Error(`compileExpression: '${name}' is not a whitelisted function`);
  const site = { name, offset };
  return (record) => info.apply(args.map((arg) => arg(record)), site);
}

/**
 * Parses and compiles in one step, for TaskManagers that receive expression source in an
 * already validated job.
 *
 * @throws ExpressionError when the source does not parse (validation should have caught it).
 */
export function compileExpressionSource(source: string): CompiledExpression {
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new ExpressionError(parsed.code, parsed.message, parsed.offset);
  return compileExpression(parsed.ast);
}
