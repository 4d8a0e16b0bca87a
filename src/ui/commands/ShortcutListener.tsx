/**
 * Global keyboard shortcuts: one keydown listener dispatching through the command registry.
 * Shortcuts do not fire while typing in a field (except the few marked `inInputs`), while a
 * dialog is open (it owns the keyboard), for Ctrl+C while text is selected on the page, or
 * for Space on a focused button, tab or node (Space presses it).
 */
import { useEffect } from 'react';
import { useServices } from '../app/services';
import { COMMANDS } from './registry';
import { commandForKey, isActivationTarget, isTypingTarget } from './shortcuts';

function hasTextSelection(): boolean {
  const selection = globalThis.getSelection?.();
  return selection !== null && selection !== undefined && selection.toString().length > 0;
}

export function ShortcutListener() {
  const services = useServices();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || (e.repeat && !['z', 'y'].includes(e.key.toLowerCase()))) return;
      if (services.store.getState().dialog !== null) return;
      const command = commandForKey(e, COMMANDS, isTypingTarget(e.target));
      if (!command) return;
      if (command.id === 'copy' && hasTextSelection()) return;
      if (command.shortcuts.includes('Space') && e.key === ' ' && isActivationTarget(e.target)) return;
      e.preventDefault();
      services.run(command.id);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [services]);
  return null;
}
