/** Store actions shared by several components (palette, canvas drop, inspector). */
import type { JobPosition, OperatorKind } from '../../engine';
import { addOperator } from '../model/operators';
import { findFreeSpot, NODE_HEIGHT, NODE_WIDTH } from '../model/positions';
import type { Services } from './services';

/** Adds an operator with its top-left corner at `position`, selected. */
export function addOperatorAt(services: Services, kind: OperatorKind, position: JobPosition): string {
  const s = services.store.getState();
  const { job, id } = addOperator(s.job, kind, position);
  s.commit(job, { select: { operators: [id], edge: null } });
  return id;
}

/** Adds an operator at a free spot near the centre of the visible canvas, selected. */
export function addOperatorNearCentre(services: Services, kind: OperatorKind): string {
  const centre = services.effects.viewportCentre();
  return addOperatorAt(services, kind, findFreeSpot(services.store.getState().job, centre));
}

/** Adds an operator centred on a drop point (flow coordinates). */
export function addOperatorAtDrop(services: Services, kind: OperatorKind, point: JobPosition): string {
  return addOperatorAt(services, kind, { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 });
}
