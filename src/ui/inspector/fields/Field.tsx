/**
 * The frame of every inspector field: label (with unit), the input, a help line, and the
 * validation messages whose JSON path points at this field. Messages are linked to the
 * input with aria-describedby and mark it aria-invalid.
 */
import { useId, type ReactNode } from 'react';

export interface InputA11y {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

interface Props {
  label: string;
  unit?: string;
  help?: string;
  messages?: readonly string[];
  /** Layout for checkboxes: input before the label. */
  inline?: boolean;
  children: (a11y: InputA11y) => ReactNode;
}

export function Field({ label, unit, help, messages = [], inline = false, children }: Props) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-errors`;
  const described = [help ? helpId : '', messages.length > 0 ? errorId : ''].filter(Boolean).join(' ');
  const a11y: InputA11y = { id };
  if (described) a11y['aria-describedby'] = described;
  if (messages.length > 0) a11y['aria-invalid'] = true;
  return (
    <div className={`field${inline ? ' field--inline' : ''}${messages.length > 0 ? ' has-errors' : ''}`}>
      {inline ? (
        <label className="field__label" htmlFor={id}>
          {children(a11y)}
          <span>{label}</span>
        </label>
      ) : (
        <>
          <label className="field__label" htmlFor={id}>
            {label}
            {unit && <span className="field__unit"> ({unit})</span>}
          </label>
          {children(a11y)}
        </>
      )}
      {help && <p className="field__help" id={helpId}>{help}</p>}
      {messages.length > 0 && (
        <ul className="field__errors" id={errorId} data-testid="field-errors">
          {messages.map((m, i) => <li key={i}>{m}</li>)}
        </ul>
      )}
    </div>
  );
}
