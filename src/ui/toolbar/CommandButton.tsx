/** A toolbar button bound to a command of the registry (`data-testid="cmd-<id>"`). */
import { useApp } from '../store/appStore';
import { useServices } from '../app/services';
import { commandById } from '../commands/registry';
import { formatShortcut, isMacPlatform } from '../commands/shortcuts';
import type { CommandId } from '../commands/types';
import { Icon, type IconName } from './Icon';

const MAC = isMacPlatform();

interface Props {
  id: CommandId;
  icon?: IconName;
  /** Visible text; the command's label when omitted and `iconOnly` is not set. */
  text?: string;
  iconOnly?: boolean;
  /** Toggle state, for aria-pressed. */
  pressed?: boolean;
  /** Overrides the tooltip (e.g. why a command is unavailable). */
  title?: string;
  /** Overrides the accessible name (for a button whose text changes, e.g. Pause / Resume). */
  ariaLabel?: string;
  variant?: 'primary' | 'danger';
}

export function CommandButton({ id, icon, text, iconOnly = false, pressed, title, ariaLabel, variant }: Props) {
  const services = useServices();
  const command = commandById(id);
  const enabled = useApp((s) => command.enabled(s));
  const shortcut = command.shortcuts[0];
  const tip = title ?? (shortcut ? `${command.label} (${formatShortcut(shortcut, MAC)})` : command.label);
  const classes = ['btn', iconOnly ? 'btn--icon' : '', variant === 'primary' ? 'btn--primary' : variant === 'danger' ? 'btn--danger' : '', pressed ? 'is-pressed' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type="button"
      className={classes}
      data-testid={`cmd-${id}`}
      aria-label={ariaLabel ?? command.label}
      aria-pressed={pressed}
      title={tip}
      disabled={!enabled}
      onClick={() => services.run(id)}
    >
      {icon && <Icon name={icon} />}
      {!iconOnly && <span>{text ?? command.label}</span>}
    </button>
  );
}
