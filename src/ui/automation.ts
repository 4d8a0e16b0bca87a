/**
 * `window.sluice`, the automation API (DESIGN.md §8) for scripts and Playwright suites.
 * Only what works today is exposed: loading, reading and validating the job, and its
 * regions. Every method is async and returns plain data (copies, never live state).
 */
import { serializeJob, validateJob, type JobGraph, type ValidationError } from '../engine';
import type { Services } from './app/services';
import { regionsOf, validationOf } from './store/derived';
import type { RegionLike } from './model/regionsView';

export interface AutomationReport {
  ok: boolean;
  errors: ValidationError[];
}

export interface SluiceAutomation {
  /** Validates and opens a job; an invalid job changes nothing. */
  loadJob(job: unknown): Promise<AutomationReport>;
  /** The open job as job/1 JSON. */
  getJob(): Promise<JobGraph>;
  /** The validation report of the open job. */
  validate(): Promise<AutomationReport>;
  /** The pipelined regions of the open job; rejects when the job is invalid. */
  regions(): Promise<RegionLike[]>;
}

declare global {
  interface Window {
    sluice?: SluiceAutomation;
  }
}

function plainReport(report: { ok: boolean; errors: ValidationError[] }): AutomationReport {
  return { ok: report.ok, errors: structuredClone(report.errors) };
}

export function createAutomation(services: Services): SluiceAutomation {
  const job = () => services.store.getState().job;
  return {
    loadJob: async (input) => {
      const report = validateJob(input);
      if (report.ok && report.job) {
        await services.documents.open(report.job, { libraryId: null, force: true });
      }
      return plainReport(report);
    },
    getJob: async () => JSON.parse(serializeJob(job())) as JobGraph,
    validate: async () => plainReport(validationOf(job())),
    regions: async () => {
      const result = regionsOf(job());
      if (!result.ok) throw new Error(`Cannot compute regions: ${result.reason}`);
      return structuredClone(result.regions);
    },
  };
}

export function installAutomation(services: Services): void {
  window.sluice = createAutomation(services);
}
