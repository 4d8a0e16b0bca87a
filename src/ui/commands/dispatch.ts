/**
 * Runs a command: checks `enabled`, calls `perform`, applies the state it returns (a new job
 * as one undo step) and reports failures of asynchronous commands as a toast.
 */
import type { AppStore } from '../store/appStore';
import { commandById } from './registry';
import type { CommandId, CommandResult, Effects } from './types';

/** Applies a command's result to the store. */
export function applyResult(store: AppStore, result: CommandResult): void {
  const s = store.getState();
  if (result.job) s.commit(result.job, result.select ? { select: result.select } : {});
  else if (result.select) s.select(result.select.operators, result.select.edge);
  if (result.clipboard !== undefined) s.setClipboard(result.clipboard);
  if (result.regionsPreview !== undefined) s.setRegionsPreview(result.regionsPreview);
  if (result.theme !== undefined) s.setTheme(result.theme);
  if (result.dialog !== undefined) {
    if (result.dialog) s.openDialog(result.dialog);
    else s.closeDialog();
  }
  if (result.notice) s.toast(result.notice.message, result.notice.kind);
}

/** Runs command `id` if it is enabled; returns whether it ran. */
export function runCommand(store: AppStore, effects: Effects, id: CommandId): boolean {
  const command = commandById(id);
  const state = store.getState();
  if (!command.enabled(state)) return false;
  const out = command.perform(state, effects);
  if (out instanceof Promise) {
    out.catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      store.getState().toast(`${command.label} failed: ${message}`, 'error');
    });
  } else if (out) {
    applyResult(store, out);
  }
  return true;
}
