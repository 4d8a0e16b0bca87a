/**
 * A number input. While focused it shows exactly what is typed; a parsable number is applied
 * live (the validator judges its range), an empty field applies `undefined` (the default,
 * shown as the placeholder) when `allowEmpty`, and anything else waits for more typing.
 */
import { useState } from 'react';
import { useEditSession } from '../useEditSession';
import { Field } from './Field';

interface Props {
  testId: string;
  label: string;
  value: number | undefined;
  onChange(value: number | undefined, coalesce: string): void;
  unit?: string;
  help?: string;
  messages?: readonly string[];
  placeholder?: string;
  min?: number;
  max?: number;
  integer?: boolean;
  allowEmpty?: boolean;
}

export function NumberField(props: Props) {
  const { testId, label, value, onChange, unit, help, messages, placeholder, min, max, integer, allowEmpty } = props;
  const session = useEditSession();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === undefined ? '' : String(value));
  const apply = (text: string) => {
    setDraft(text);
    if (text.trim() === '') {
      if (allowEmpty) onChange(undefined, session.key());
      return;
    }
    const n = Number(text);
    if (Number.isFinite(n)) onChange(n, session.key());
  };
  return (
    <Field label={label} unit={unit} help={help} messages={messages}>
      {(a11y) => (
        <input
          {...a11y}
          data-testid={testId}
          className="input input--number"
          type="number"
          inputMode={integer ? 'numeric' : 'decimal'}
          step={integer ? 1 : 'any'}
          min={min}
          max={max}
          value={shown}
          placeholder={placeholder}
          onFocus={session.onFocus}
          onBlur={() => {
            session.onBlur();
            setDraft(null);
          }}
          onChange={(e) => apply(e.target.value)}
        />
      )}
    </Field>
  );
}
