/**
 * The hidden file input behind Import (Ctrl+O). A valid file opens as a new job; an invalid
 * one lists every problem with its JSON path and changes nothing.
 */
import { useServices } from '../app/services';
import { readJobFile } from '../library/jobFile';
import { errorMessage } from '../persistence/libraryClient';

export function ImportInput() {
  const services = useServices();
  const onFile = async (file: File) => {
    const s = services.store.getState();
    try {
      const report = await readJobFile(file);
      if (!report.ok || !report.job) {
        s.openDialog({
          type: 'problems', testId: 'import-errors', title: `${file.name} cannot be imported`,
          intro: 'Nothing was changed. Fix these problems in the file and import it again.', errors: report.errors,
        });
        return;
      }
      if (await services.documents.open(report.job, { libraryId: null })) s.toast(`Imported “${report.job.name}”.`);
    } catch (error) {
      s.toast(`${file.name} could not be read: ${errorMessage(error)}`, 'error');
    }
  };
  return (
    <input
      ref={(el) => {
        services.importInput.current = el;
      }}
      type="file"
      accept=".json,application/json"
      hidden
      data-testid="import-input"
      aria-label="Import a job file"
      onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) void onFile(file);
      }}
    />
  );
}
