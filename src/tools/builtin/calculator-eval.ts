/**
 * Evaluation of a parsed calculator expression, walking the tree the way the original's
 * `ast.NodeVisitor` did, so that errors come in the same order and with the same wording.
 */
import {
  checkCalculationBudget,
  maxExpressionLength,
  withCalculationBudget,
} from './calculator-budget.js';
import { calculatorConstants, calculatorFunctions } from './calculator-functions.js';
import {
  ArithmeticFailure,
  checkedInt,
  divideFloats,
  divideInts,
  multiplyInts,
  float,
  floorDivideFloats,
  floorDivideInts,
  int,
  moduloFloats,
  moduloInts,
  power,
  toFloat,
  typeName,
} from './calculator-numbers.js';
import {
  ExpressionSyntaxError,
  parseExpression,
  type BinaryOperator,
  type CalcValue,
  type ExpressionNode,
} from './calculator-parse.js';

/** The original's own refusals ("Unknown variable: x"), shown to the model unchanged. */
class EvaluationRefusal extends Error {}

/** Python's AST class names, which the original put in its "Unsupported operation" message. */
const operatorNames = {
  '&': 'BitAnd',
  '|': 'BitOr',
  '<<': 'LShift',
  '>>': 'RShift',
  '@': 'MatMult',
} satisfies Partial<Record<BinaryOperator, string>>;

function integerOperands(op: string, left: CalcValue, right: CalcValue): [bigint, bigint] {
  if (left.kind === 'int' && right.kind === 'int') return [left.value, right.value];
  throw new ArithmeticFailure(
    `unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'`,
  );
}

function applyBinary(op: BinaryOperator, left: CalcValue, right: CalcValue): CalcValue {
  const bothInts = left.kind === 'int' && right.kind === 'int';
  const [a, b] = bothInts ? [left.value, right.value] : [0n, 0n];
  switch (op) {
    case '+':
      return bothInts ? checkedInt(a + b) : float(toFloat(left) + toFloat(right));
    case '-':
      return bothInts ? checkedInt(a - b) : float(toFloat(left) - toFloat(right));
    case '*':
      return bothInts ? multiplyInts(a, b) : float(toFloat(left) * toFloat(right));
    case '/':
      return float(bothInts ? divideInts(a, b) : divideFloats(toFloat(left), toFloat(right)));
    case '//':
      return bothInts
        ? int(floorDivideInts(a, b))
        : float(floorDivideFloats(toFloat(left), toFloat(right)));
    case '%':
      return bothInts ? int(moduloInts(a, b)) : float(moduloFloats(toFloat(left), toFloat(right)));
    case '**':
      return power(left, right);
    case '^': {
      const [x, y] = integerOperands('^', left, right);
      return int(x ^ y);
    }
    case '&':
    case '|':
    case '<<':
    case '>>':
    case '@':
      throw new EvaluationRefusal(`Unsupported operation: ${operatorNames[op]}`);
    default: {
      const unreachable: never = op;
      return unreachable;
    }
  }
}

function evaluateNode(node: ExpressionNode): CalcValue {
  checkCalculationBudget();
  switch (node.type) {
    case 'number':
      return node.value;
    case 'name': {
      const constant = calculatorConstants.get(node.name);
      if (!constant) throw new EvaluationRefusal(`Unknown variable: ${node.name}`);
      return constant;
    }
    case 'unary': {
      const operand = evaluateNode(node.operand);
      if (node.op === '+') return operand;
      if (node.op === '-')
        return operand.kind === 'int' ? int(-operand.value) : float(-operand.value);
      throw new EvaluationRefusal(
        `Unsupported unary operation: ${node.op === '~' ? 'Invert' : 'Not'}`,
      );
    }
    case 'binary':
      // Both sides first, then the operator check, as the original's visit_BinOp does.
      return applyBinary(node.op, evaluateNode(node.left), evaluateNode(node.right));
    case 'call':
      return evaluateCall(node);
    case 'unsupported':
      throw new EvaluationRefusal(`Unsupported syntax: ${node.syntax}`);
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function evaluateCall(node: ExpressionNode & { type: 'call' }): CalcValue {
  // Only a plain name can be called; anything else has no name, as `getattr(func, "id", "")` had none.
  const name = node.callee.type === 'name' ? node.callee.name : '';
  const fn = calculatorFunctions.get(name);
  if (!fn) throw new EvaluationRefusal(`Function not allowed: ${name}`);
  // The original silently dropped keyword arguments (round(2.567, ndigits=2) gave 3); refuse them.
  if (node.hasKeywords) throw new EvaluationRefusal('Unsupported syntax: keyword argument');
  const args = node.args.map(evaluateNode);
  try {
    return fn(args);
  } catch (error) {
    if (error instanceof ArithmeticFailure || error instanceof EvaluationRefusal) {
      throw new EvaluationRefusal(`Error in function ${name}: ${error.message}`);
    }
    throw error;
  }
}

/** The outcome of evaluating an expression: a number, or the detail after "Calculation error: ". */
export type EvaluationOutcome = { ok: true; value: CalcValue } | { ok: false; detail: string };

/**
 * Parse and evaluate an expression with Python's semantics.
 *
 * @example
 * ```ts
 * evaluateExpression('2**10'); // { ok: true, value: { kind: 'int', value: 1024n } }
 * evaluateExpression('1/0');   // { ok: false, detail: 'Error evaluating expression: division by zero' }
 * ```
 */
export function evaluateExpression(expression: string): EvaluationOutcome {
  if (expression.length > maxExpressionLength) {
    return {
      ok: false,
      detail: `Expression too long: ${String(expression.length)} characters (at most ${String(maxExpressionLength)})`,
    };
  }
  let tree: ExpressionNode;
  try {
    tree = parseExpression(expression);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) {
      return { ok: false, detail: `Syntax error in expression: ${error.message}` };
    }
    throw error;
  }
  try {
    return { ok: true, value: withCalculationBudget(() => evaluateNode(tree)) };
  } catch (error) {
    if (error instanceof EvaluationRefusal) return { ok: false, detail: error.message };
    if (error instanceof ArithmeticFailure) {
      return { ok: false, detail: `Error evaluating expression: ${error.message}` };
    }
    throw error;
  }
}
