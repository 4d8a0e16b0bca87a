/** A text input whose edits are live and coalesce into one undo step per focus. */
import { useEditSession } from '../useEditSession';
import { Field } from './Field';

interface Props {
  testId: string;
  label: string;
  value: string;
  onChange(value: string, coalesce: string): void;
  help?: string;
  messages?: readonly string[];
  placeholder?: string;
  mono?: boolean;
  multiline?: boolean;
}

export function TextField({ testId, label, value, onChange, help, messages, placeholder, mono, multiline }: Props) {
  const session = useEditSession();
  const common = {
    'data-testid': testId,
    className: `input${mono ? ' input--mono' : ''}`,
    value,
    placeholder,
    spellCheck: false,
    onFocus: session.onFocus,
    onBlur: session.onBlur,
  };
  return (
    <Field label={label} help={help} messages={messages}>
      {(a11y) => multiline
        ? <textarea {...common} {...a11y} rows={3} onChange={(e) => onChange(e.target.value, session.key())} />
        : <input {...common} {...a11y} type="text" onChange={(e) => onChange(e.target.value, session.key())} />}
    </Field>
  );
}
