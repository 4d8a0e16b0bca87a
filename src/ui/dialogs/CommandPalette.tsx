/**
 * The command palette (Ctrl/⌘+K): every command of the registry, filtered as you type;
 * arrows move, Enter runs the highlighted command (disabled ones say so and do nothing).
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useServices } from '../app/services';
import { COMMANDS } from '../commands/registry';
import { formatShortcut, isMacPlatform } from '../commands/shortcuts';
import type { Command } from '../commands/types';
import { useApp } from '../store/appStore';
import { Dialog } from './Dialog';

const MAC = isMacPlatform();

function matches(command: Command, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${command.label} ${command.id}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

export function CommandPalette({ onClose }: { onClose(): void }) {
  const services = useServices();
  const state = useApp((s) => s);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useMemo(() => COMMANDS.filter((c) => c.id !== 'command-palette' && matches(c, query)), [query]);
  const current = Math.min(active, Math.max(list.length - 1, 0));
  const run = (command: Command | undefined) => {
    if (!command || !command.enabled(state)) return;
    onClose();
    services.run(command.id);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((current + 1) % Math.max(list.length, 1));
    else if (e.key === 'ArrowUp') setActive((current - 1 + list.length) % Math.max(list.length, 1));
    else if (e.key === 'Enter') run(list[current]);
    else return;
    e.preventDefault();
  };
  return (
    <Dialog testId="command-palette" title="Command palette" onClose={onClose} className="palette-dialog" bare>
      <input
        className="input palette-dialog__input"
        data-testid="command-palette-input"
        placeholder="Type a command…"
        aria-label="Filter commands"
        aria-controls="command-list"
        aria-activedescendant={list[current] ? `command-${list[current].id}` : undefined}
        data-autofocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="palette-dialog__list" id="command-list" role="listbox" aria-label="Commands">
        {list.length === 0 && <li className="palette-dialog__empty">No command matches “{query}”.</li>}
        {list.map((c, i) => {
          const enabled = c.enabled(state);
          return (
            <li
              key={c.id}
              id={`command-${c.id}`}
              role="option"
              aria-selected={i === current}
              aria-disabled={!enabled}
              data-testid={`command-${c.id}`}
              className={`palette-dialog__item${i === current ? ' is-active' : ''}${enabled ? '' : ' is-disabled'}`}
              onMouseMove={() => setActive(i)}
              onClick={() => run(c)}
            >
              <span>{c.label}</span>
              {c.shortcuts[0] && <kbd>{formatShortcut(c.shortcuts[0], MAC)}</kbd>}
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
