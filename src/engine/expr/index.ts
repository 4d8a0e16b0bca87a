/**
 * The expression language: a small, safe, deterministic language over a flat record, used by
 * `map`, `filter`, `flatMap` and hash-edge keys. Validation parses; TaskManagers compile.
 */
export {
  MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, RESERVED_NAMES,
  type ExprNode, type ExprRecord, type FieldValue, type Value,
} from './ast';
export { compileExpression, compileExpressionSource, type CompiledExpression } from './compile';
export { ExpressionError } from './ExpressionError';
export { FUNCTIONS, FUNCTION_NAMES, MAX_LIST_LENGTH } from './functions';
export { parseExpression, type ParseResult } from './parse';
