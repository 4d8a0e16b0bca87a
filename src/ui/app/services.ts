/**
 * The designer's services: the store plus everything that talks to the world (library,
 * autosave, canvas viewport, file input). Created once in main.tsx and handed down through
 * a context, so components and commands never reach for globals.
 */
import { createContext, useContext } from 'react';
import type { JobPosition } from '../../engine';
import type { CommandId, Effects } from '../commands/types';
import type { Autosave } from '../persistence/autosave';
import type { LibraryClient } from '../persistence/libraryClient';
import type { AppStore } from '../store/appStore';
import type { Documents } from './documents';

/** What the canvas lets others do with its viewport (registered when React Flow is ready). */
export interface CanvasApi {
  fitView(): void;
  /** Pans to an operator or edge and keeps the zoom readable. */
  centreOn(target: { operatorId?: string; edgeId?: string }): void;
  viewportCentre(): JobPosition;
  /** Measured node sizes, for auto-layout. */
  nodeSizes(): Record<string, { width: number; height: number }>;
}

export interface Services {
  store: AppStore;
  effects: Effects;
  documents: Documents;
  autosave: Autosave;
  library: LibraryClient;
  canvas: { current: CanvasApi | null };
  importInput: { current: HTMLInputElement | null };
  /** Runs a command through the registry (buttons, shortcuts, palette). */
  run(id: CommandId): boolean;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a <ServicesContext.Provider>.');
  return services;
}
