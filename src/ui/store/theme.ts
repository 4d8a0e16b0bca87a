/**
 * The colour theme: light or dark, chosen by the user and remembered in localStorage; until
 * then the system's `prefers-color-scheme`. Applied as `data-theme` on <html> so plain CSS
 * variables switch the whole app.
 */
import type { Theme } from '../model/regionsView';

const KEY = 'sluice.theme';

/** The remembered theme, else the system preference, else light. */
export function initialTheme(): Theme {
  try {
    const saved = globalThis.localStorage?.getItem(KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // storage refused (privacy mode): fall through to the system preference
  }
  const dark = globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  return dark ? 'dark' : 'light';
}

/** Remembers the theme and applies it to the document. */
export function persistTheme(theme: Theme): void {
  try {
    globalThis.localStorage?.setItem(KEY, theme);
  } catch {
    // not remembered; the theme still applies for this visit
  }
  applyTheme(theme);
}

export function applyTheme(theme: Theme): void {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}
