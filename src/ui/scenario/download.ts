/** Saves a scenario as a file through the browser's download (canonical JSON, `serializeScenario`). */
import { serializeScenario, type Scenario } from '../../engine/scenario';
import { scenarioFileName } from './recording';

const REVOKE_AFTER_MS = 10_000;

/** Downloads `scenario`; returns the file name. */
export function downloadScenario(scenario: Scenario): string {
  const fileName = scenarioFileName(scenario);
  const url = URL.createObjectURL(new Blob([serializeScenario(scenario)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
  return fileName;
}
