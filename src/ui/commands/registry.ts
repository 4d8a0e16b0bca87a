/** The one command registry: every command the designer has, by id. */
import { editCommands } from './editCommands';
import { fileCommands } from './fileCommands';
import { runCommands } from './runCommands';
import { scenarioCommands } from './scenarioCommands';
import type { Command, CommandId } from './types';
import { viewCommands } from './viewCommands';

export const COMMANDS: readonly Command[] = [...fileCommands, ...editCommands, ...viewCommands, ...runCommands, ...scenarioCommands];

const BY_ID = new Map<CommandId, Command>(COMMANDS.map((c) => [c.id, c]));

export function commandById(id: CommandId): Command {
  const command = BY_ID.get(id);
  if (!command) throw new Error(`Unknown command "${id}".`);
  return command;
}
