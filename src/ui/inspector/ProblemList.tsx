/** Problems of an operator or edge that belong to no single field (e.g. "needs 2 inputs"). */
import type { ValidationError } from '../../engine';

export function ProblemList({ errors }: { errors: readonly ValidationError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="inspector__problems" data-testid="inspector-problems">
      {errors.map((e, i) => (
        <li key={`${e.path}-${i}`}>
          <span className="inspector__problem-mark" aria-hidden="true">!</span>
          <span>{e.message}</span>
        </li>
      ))}
    </ul>
  );
}
