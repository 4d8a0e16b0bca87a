/** The example gallery: `public/jobs/index.json` and the job files it lists. */
import { parseJobText, type ValidationReport } from '../../engine';

export interface ExampleEntry {
  file: string;
  name: string;
  description: string;
}

const SAFE_FILE = /^[A-Za-z0-9_.-]+\.json$/;

function jobsUrl(file: string): string {
  return `${import.meta.env.BASE_URL}jobs/${file}`;
}

/** The gallery's entries (files with unsafe names are skipped). */
export async function fetchExampleIndex(): Promise<ExampleEntry[]> {
  const response = await fetch(jobsUrl('index.json'));
  if (!response.ok) throw new Error(`The example list could not be loaded (HTTP ${response.status}).`);
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new Error('The example gallery is unavailable: jobs/index.json is missing or is not JSON.');
  }
  if (!Array.isArray(data)) throw new Error('The example gallery is unavailable: jobs/index.json is not a list.');
  return data.filter(isEntry).filter((e) => SAFE_FILE.test(e.file));
}

function isEntry(value: unknown): value is ExampleEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.file === 'string' && typeof v.name === 'string' && typeof v.description === 'string';
}

/** Reads and validates one example job (like an import: nothing is executed). */
export async function fetchExample(file: string): Promise<ValidationReport> {
  if (!SAFE_FILE.test(file)) throw new Error(`"${file}" is not an example file name.`);
  const response = await fetch(jobsUrl(file));
  if (!response.ok) throw new Error(`The example ${file} could not be loaded (HTTP ${response.status}).`);
  return parseJobText(await response.text());
}

/** The test-id stem of an example: its file name without `.json`. */
export function exampleStem(file: string): string {
  return file.replace(/\.json$/, '');
}
