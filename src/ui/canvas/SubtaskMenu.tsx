/**
 * The menu a subtask cell opens in run mode: kill the task, or slow it down ×4 / ×10 / back to
 * normal (faults injected into the running job). Drawn in a portal at the cell's screen
 * position so no node can cover it; arrows move, Enter chooses, Escape closes.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import type { Fault } from '../../engine/runtime/telemetry';

export interface SubtaskMenuProps {
  operatorId: string;
  operatorName: string;
  index: number;
  slowFactor: number;
  anchor: DOMRect;
  onChoose(fault: Fault): void;
  /** `returnFocus`: closed from the keyboard or by a choice, so focus goes back to the cell. */
  onClose(returnFocus: boolean): void;
}

export function SubtaskMenu({ operatorId, operatorName, index, slowFactor, anchor, onChoose, onClose }: SubtaskMenuProps) {
  const menu = useRef<HTMLDivElement>(null);
  const items: { id: string; label: string; fault: Fault; current?: boolean }[] = [
    { id: 'kill', label: 'Kill task', fault: { kind: 'kill-task', operator: operatorId, subtask: index } },
    { id: 'slow-4', label: 'Slow down ×4', fault: { kind: 'slow-task', operator: operatorId, subtask: index, factor: 4 }, current: slowFactor === 4 },
    { id: 'slow-10', label: 'Slow down ×10', fault: { kind: 'slow-task', operator: operatorId, subtask: index, factor: 10 }, current: slowFactor === 10 },
    { id: 'slow-1', label: 'Normal speed', fault: { kind: 'slow-task', operator: operatorId, subtask: index, factor: 1 }, current: slowFactor === 1 },
  ];

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onDown = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node)) onClose(false);
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [onClose]);

  const onKeyDown = (e: KeyboardEvent) => {
    const buttons = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape' || e.key === 'Tab') onClose(true);
    else if (e.key === 'ArrowDown') buttons[(at + 1) % buttons.length]?.focus();
    else if (e.key === 'ArrowUp') buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const top = Math.min(anchor.bottom + 4, window.innerHeight - 170);
  const left = Math.min(anchor.left, window.innerWidth - 200);
  return createPortal(
    <div ref={menu} className="subtask-menu" role="menu" aria-label={`${operatorName} subtask ${index}`} data-testid="subtask-menu"
      style={{ top, left }} onKeyDown={onKeyDown}>
      <p className="subtask-menu__title">{operatorName} <span className="mono">#{index}</span></p>
      {items.map((item) => (
        <button key={item.id} type="button" role="menuitem" className={`subtask-menu__item${item.id === 'kill' ? ' is-danger' : ''}`}
          data-testid={`subtask-menu-${item.id}`} aria-current={item.current || undefined}
          onClick={() => {
            onChoose(item.fault);
            onClose(true);
          }}>
          {item.label}{item.current ? ' ✓' : ''}
        </button>
      ))}
    </div>,
    document.body,
  );
}
