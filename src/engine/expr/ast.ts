/**
 * Values and syntax tree of the expression language (`map`, `filter`, `flatMap`, hash keys).
 *
 * Records are flat: every field holds a string, a number, a boolean or null. Lists exist only
 * as the results of functions (`split`, `range`), so `flatMap` has something to iterate.
 */

/** A value a record field may hold. */
export type FieldValue = string | number | boolean | null;

/** Any value an expression can produce: a field value or a list of values. */
export type Value = FieldValue | readonly Value[];

/** The record an expression reads; absent fields read as null. */
export type ExprRecord = Readonly<Record<string, FieldValue | undefined>>;

/** Longest expression source accepted, in UTF-16 code units. */
export const MAX_EXPRESSION_LENGTH = 2000;

/**
 * Deepest nesting accepted (brackets, unary operators, function arguments, ternaries).
 * Keeps the recursive-descent parser and the closure tree far from the stack limit, even in a
 * worker with a small stack.
 */
export const MAX_EXPRESSION_DEPTH = 64;

/**
 * Names an expression may not read as fields: reading them from a plain object would reach
 * JavaScript's prototype machinery instead of record data.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type BinaryOperator = ArithmeticOperator | ComparisonOperator;

/** Every node carries the 0-based source offset of its operator or first token, for messages. */
interface NodeBase { offset: number }

export interface LiteralNode extends NodeBase { type: 'literal'; value: FieldValue }
export interface FieldNode extends NodeBase { type: 'field'; name: string }
export interface UnaryNode extends NodeBase { type: 'unary'; op: '-' | '!'; operand: ExprNode }
export interface BinaryNode extends NodeBase { type: 'binary'; op: BinaryOperator; left: ExprNode; right: ExprNode }
/** `&&` and `||` are separate from binary operators because they short-circuit. */
export interface LogicalNode extends NodeBase { type: 'logical'; op: '&&' | '||'; left: ExprNode; right: ExprNode }
export interface ConditionalNode extends NodeBase { type: 'conditional'; test: ExprNode; consequent: ExprNode; alternate: ExprNode }
export interface CallNode extends NodeBase { type: 'call'; name: string; args: ExprNode[] }

/** A parsed expression. */
export type ExprNode = LiteralNode | FieldNode | UnaryNode | BinaryNode | LogicalNode | ConditionalNode | CallNode;
