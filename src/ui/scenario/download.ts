/** Saves a scenario as a file through the browser's download (canonical JSON, `serializeScenario`). */
import { serializeScenario, type Scenario } from '../../engine/scenario';
import { downloadText } from '../library/jobFile';
import { scenarioFileName } from './recording';

/** Downloads `scenario`; returns the file name. */
export function downloadScenario(scenario: Scenario): string {
  return downloadText(scenarioFileName(scenario), serializeScenario(scenario));
}
