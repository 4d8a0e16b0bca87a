/**
 * Scenario files: the gallery (`public/scenarios/index.json` and the files it lists), jobs a
 * scenario names by path (`jobs/<file>.json` under `public/`), and imported files. Reading a
 * file only validates it: nothing runs on import or on opening from the gallery.
 */
import { MAX_SCENARIO_BYTES, parseScenarioText, type ScenarioReport } from '../../engine/scenario';

/** One gallery card. */
export interface ScenarioEntry {
  file: string;
  name: string;
  description: string;
}

const SAFE_FILE = /^[A-Za-z0-9_-]{1,64}\.json$/;

function publicUrl(path: string): string {
  return `${import.meta.env.BASE_URL}${path}`;
}

/** The entries of a parsed index.json that are well formed and name a safe file. */
export function parseScenarioIndex(data: unknown): ScenarioEntry[] {
  if (!Array.isArray(data)) throw new Error('The scenario gallery is unavailable: scenarios/index.json is not a list.');
  return data.filter(isEntry).filter((e) => SAFE_FILE.test(e.file));
}

function isEntry(value: unknown): value is ScenarioEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.file === 'string' && typeof v.name === 'string' && typeof v.description === 'string';
}

/** The test-id stem of a gallery scenario: its file name without `.json`. */
export function scenarioStem(file: string): string {
  return file.replace(/\.json$/, '');
}

/** The gallery's entries. */
export async function fetchScenarioIndex(): Promise<ScenarioEntry[]> {
  const response = await fetch(publicUrl('scenarios/index.json'));
  if (!response.ok) throw new Error(`The scenario gallery could not be loaded (HTTP ${response.status}).`);
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new Error('The scenario gallery is unavailable: scenarios/index.json is missing or is not JSON.');
  }
  return parseScenarioIndex(data);
}

/** Reads and validates one gallery scenario (`region-failover.json` or `scenarios/region-failover.json`). */
export async function fetchScenario(file: string): Promise<ScenarioReport> {
  const name = file.replace(/^scenarios\//, '');
  if (!SAFE_FILE.test(name)) throw new Error(`"${file}" is not a gallery scenario file name.`);
  const response = await fetch(publicUrl(`scenarios/${name}`));
  if (!response.ok) throw new Error(`The scenario ${name} could not be loaded (HTTP ${response.status}).`);
  return parseScenarioText(await response.text());
}

/** Loads a job a scenario names by path (`jobs/<file>.json`), for `runScenario`'s `loadJob`. */
export async function loadPublicJob(path: string): Promise<unknown> {
  const response = await fetch(publicUrl(path));
  if (!response.ok) throw new Error(`${path} could not be loaded (HTTP ${response.status}).`);
  return response.json() as Promise<unknown>;
}

/** Reads and validates an imported scenario file; a file too large is refused before it is read. */
export async function readScenarioFile(file: Blob): Promise<ScenarioReport> {
  if (file.size > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      errors: [{ path: '$', code: 'scenario.tooLarge', message: `The file is ${file.size} bytes; a scenario may be at most ${MAX_SCENARIO_BYTES} bytes.` }],
    };
  }
  return parseScenarioText(await file.text());
}
