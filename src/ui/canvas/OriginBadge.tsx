/** The tag on the operator where backpressure originates (busy receivers of back-pressured senders). */
import { useApp } from '../store/appStore';
import { originOf } from '../run/viz/vizSelectors';

export function OriginBadge({ id }: { id: string }) {
  const origin = useApp((s) => s.runActive && originOf(s).operators.has(id));
  if (!origin) return null;
  return (
    <span className="op-node__origin" data-testid={`bp-origin-${id}`}
      title="Backpressure starts here: the senders upstream are back-pressured, these subtasks are busy (ringed ones are the busiest).">
      ⚠ backpressure origin
    </span>
  );
}
