/** A checkbox; each toggle is its own undo step. */
import { Field } from './Field';

interface Props {
  testId: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  help?: string;
  messages?: readonly string[];
}

export function CheckboxField({ testId, label, checked, onChange, help, messages }: Props) {
  return (
    <Field label={label} help={help} messages={messages} inline>
      {(a11y) => (
        <input {...a11y} data-testid={testId} className="checkbox" type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      )}
    </Field>
  );
}
