/**
 * Keyboard shortcuts as data: `Mod+Shift+Z`, `Delete`, `C`, `Space`. `Mod` is Ctrl, or ⌘ on a Mac
 * (either is accepted everywhere). Letters also match by physical key (`KeyZ`), so shortcuts
 * work on non-Latin keyboard layouts.
 */
import type { Command } from './types';

/** The parts of a KeyboardEvent shortcuts look at (plain data, so this is tested in Node). */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function matchesShortcut(shortcut: string, e: KeyLike): boolean {
  const parts = shortcut.split('+');
  const key = parts[parts.length - 1] ?? '';
  const mods = new Set(parts.slice(0, -1));
  if ((e.ctrlKey || e.metaKey) !== mods.has('Mod')) return false;
  if (e.shiftKey !== mods.has('Shift')) return false;
  if (e.altKey !== mods.has('Alt')) return false;
  if (key === 'Space') return e.key === ' ' || e.code === 'Space';
  if (e.key.toLowerCase() === key.toLowerCase()) return true;
  return /^[A-Za-z]$/.test(key) && e.code === `Key${key.toUpperCase()}`;
}

/** The command a key press triggers, if any. */
export function commandForKey(e: KeyLike, commands: readonly Command[], typing: boolean): Command | undefined {
  return commands.find((c) => (!typing || c.inInputs === true) && c.shortcuts.some((s) => matchesShortcut(s, e)));
}

/** Is the user typing into this element (so plain keys belong to it, not to shortcuts)? */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * Does Space (or Enter) already mean something on this element: pressing a button, ticking a
 * box, choosing a tab or an option, selecting a canvas node? Then Space is not a shortcut.
 */
export function isActivationTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (isTypingTarget(target)) return true;
  return target.closest('button, a[href], summary, [role="button"], [role="tab"], [role="menuitem"], [role="option"], [role="checkbox"], .react-flow__node, .react-flow__edge') !== null;
}

/** A shortcut as shown to people: `⌘⇧Z` on a Mac, `Ctrl+Shift+Z` elsewhere. */
export function formatShortcut(shortcut: string, mac: boolean): string {
  const parts = shortcut.split('+');
  if (mac) {
    const symbols: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥', Delete: '⌦', Backspace: '⌫', Enter: '↩', Space: 'Space' };
    return parts.map((p) => symbols[p] ?? p.toUpperCase()).join('');
  }
  return parts.map((p) => (p === 'Mod' ? 'Ctrl' : p.length === 1 ? p.toUpperCase() : p)).join('+');
}

export function isMacPlatform(): boolean {
  const nav = globalThis.navigator as (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  const platform = nav?.userAgentData?.platform ?? nav?.platform ?? '';
  return /mac|iphone|ipad/i.test(platform);
}
