/**
 * What the operators of the expression language compute (the rules are in `values.ts`).
 *
 * Kept apart from the closure compiler so the semantics can be read, and tested, as a table.
 */
import type { ArithmeticOperator, BinaryOperator, ComparisonOperator, Value } from './ast';
import { expressionError } from './ExpressionError';
import { conditionValue, finite, toText, typeName, valuesEqual } from './values';

function operandError(op: string, a: Value, b: Value, offset: number): never {
  throw expressionError('expr.operandType', offset, { op: `'${op}'`, left: typeName(a), right: typeName(b) });
}

/** `+ - * / %`: numbers (null in, null out); `+` joins text when either side is text. */
export function arithmetic(op: ArithmeticOperator, a: Value, b: Value, offset: number): Value {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return toText(a) + toText(b);
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+': return finite(a + b);
      case '-': return finite(a - b);
      case '*': return finite(a * b);
      // x / 0 and x % 0 are not finite, so they become null (see values.ts for why).
      case '/': return finite(a / b);
      default: return finite(a % b);
    }
  }
  if ((a === null || typeof a === 'number') && (b === null || typeof b === 'number')) return null;
  return operandError(op, a, b, offset);
}

/**
 * `== !=` compare anything without coercion; `< <= > >=` order two numbers or two texts
 * (text by UTF-16 code units, like Java's `compareTo`) and are false when either side is null.
 */
export function comparison(op: ComparisonOperator, a: Value, b: Value, offset: number): boolean {
  if (op === '==') return valuesEqual(a, b);
  if (op === '!=') return !valuesEqual(a, b);
  if (a === null || b === null) return false;
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return operandError(op, a, b, offset);
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

/** Dispatches a binary operator. */
export function binary(op: BinaryOperator, a: Value, b: Value, offset: number): Value {
  switch (op) {
    case '+': case '-': case '*': case '/': case '%':
      return arithmetic(op, a, b, offset);
    default:
      return comparison(op, a, b, offset);
  }
}

/** Unary `-` (numbers, null passes) and `!` (conditions; null counts as false). */
export function unary(op: '-' | '!', value: Value, offset: number): Value {
  if (op === '-') {
    if (value === null) return null;
    if (typeof value === 'number') return finite(-value);
  } else {
    const truth = conditionValue(value);
    if (truth !== undefined) return !truth;
  }
  throw expressionError('expr.unaryType', offset, { op: `'${op}'`, operand: typeName(value) });
}

/** A condition (`&&`, `||`, `?:`) as a boolean; text, numbers and lists are type errors. */
export function condition(value: Value, where: string, offset: number): boolean {
  const truth = conditionValue(value);
  if (truth === undefined) throw expressionError('expr.conditionType', offset, { where, actual: typeName(value) });
  return truth;
}
