/** The job's name in the top bar, editable in place (one undo step per focus). */
import { useAppStore, useApp } from '../store/appStore';
import { updateJobSettings } from '../model/jobs';
import { useEditSession } from '../inspector/useEditSession';

export function JobNameInput() {
  const store = useAppStore();
  const name = useApp((s) => s.job.name);
  const running = useApp((s) => s.runActive);
  const session = useEditSession();
  return (
    <input
      className="topbar__name"
      data-testid="job-name"
      aria-label="Job name"
      value={name}
      readOnly={running}
      title={running ? 'Stop the run to rename the job.' : undefined}
      spellCheck={false}
      onFocus={session.onFocus}
      onBlur={session.onBlur}
      onChange={(e) => {
        const s = store.getState();
        s.commit(updateJobSettings(s.job, { name: e.target.value }), { coalesce: session.key() });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === 'Escape') e.currentTarget.blur();
      }}
    />
  );
}
