/** A select; each change is its own undo step. */
import { Field } from './Field';

interface Props {
  testId: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange(value: string): void;
  help?: string;
  messages?: readonly string[];
  /** Shown first and selected when `value` is not one of the options. */
  placeholder?: string;
}

export function SelectField({ testId, label, value, options, onChange, help, messages, placeholder }: Props) {
  const known = options.some((o) => o.value === value);
  return (
    <Field label={label} help={help} messages={messages}>
      {(a11y) => (
        <select {...a11y} data-testid={testId} className="input select" value={known ? value : ''} onChange={(e) => onChange(e.target.value)}>
          {(!known || placeholder) && <option value="" disabled={known}>{placeholder ?? `${value} (unknown)`}</option>}
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}
