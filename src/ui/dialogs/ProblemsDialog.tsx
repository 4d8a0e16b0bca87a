/** Lists every problem of a job that was not opened (import, share link, example). */
import type { ValidationError } from '../../engine';
import { Dialog } from './Dialog';

interface Props {
  testId: string;
  title: string;
  intro: string;
  errors: readonly ValidationError[];
  onClose(): void;
}

export function ProblemsDialog({ testId, title, intro, errors, onClose }: Props) {
  return (
    <Dialog testId={testId} title={title} onClose={onClose} wide>
      <p className="dialog__intro">{intro}</p>
      <p className="dialog__count">{errors.length} {errors.length === 1 ? 'problem' : 'problems'}:</p>
      <ul className="problems-list">
        {errors.map((e, i) => (
          <li key={`${e.path}-${i}`} data-testid="problem-item">
            <span className="problem__message">{e.message}</span>
            <span className="problem__where">
              {e.id !== undefined && <span className="problem__id">{e.id}</span>}
              <code className="problem__path">{e.path}</code>
            </span>
          </li>
        ))}
      </ul>
      <div className="dialog__actions">
        <button type="button" className="btn btn--primary" onClick={onClose} data-autofocus>OK</button>
      </div>
    </Dialog>
  );
}
