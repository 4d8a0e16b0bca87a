/**
 * A scenario's result: passed or failed, every check with expected and actual, the seed, the
 * trace hash, and for a failure the replay line (open it with that seed, or call
 * `window.sluice.runScenario(scenario, { seed })`).
 */
import type { ScenarioResult } from '../../engine/scenario';

export function ScenarioResults({ result }: { result: ScenarioResult }) {
  const passed = result.checks.filter((c) => c.passed).length;
  return (
    <section className={`scenario-result${result.passed ? ' is-passed' : ' is-failed'}`} data-testid="scenario-result" data-passed={result.passed} aria-label="Scenario result">
      <header className="scenario-result__header">
        <strong className="scenario-result__verdict" data-testid="scenario-verdict">{result.passed ? '✓ Passed' : '✗ Failed'}</strong>
        <span>{passed} of {result.checks.length} checks passed</span>
        <span className="muted">seed <span className="mono" data-testid="scenario-result-seed">{result.seed}</span></span>
        <span className="muted">at {result.virtualTimeMs} ms, run {result.state}</span>
        <span className="muted mono scenario-result__hash" title="Trace hash: the same scenario and seed always give the same hash">trace {result.traceHash.slice(0, 12)}</span>
      </header>
      <table className="data-table scenario-result__checks">
        <thead>
          <tr>
            <th scope="col">check</th>
            <th scope="col">expected</th>
            <th scope="col">actual</th>
          </tr>
        </thead>
        <tbody>
          {result.checks.map((c) => (
            <tr key={c.name} data-testid={`scenario-check-${c.name}`} data-passed={c.passed} className={c.passed ? 'is-passed' : 'is-failed'}>
              <td><span aria-hidden>{c.passed ? '✓' : '✗'}</span> {c.name}<span className="visually-hidden">{c.passed ? ' passed' : ' failed'}</span></td>
              <td>{c.expected}</td>
              <td>{c.actual}{c.detail ? <span className="muted"> — {c.detail}</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.failedCheck && <p className="scenario-result__replay mono" data-testid="scenario-replay">{result.failedCheck.replay}</p>}
    </section>
  );
}
