/**
 * An operator's settings, generated from its catalogue entry: one input per field by type
 * (numbers with units, enums as selects, booleans as checkboxes, expressions and field names
 * as monospace text), fields whose `visibleWhen` is not met are hidden, and each field shows
 * the validation messages at its JSON path.
 */
import { CATALOGUE, configWithDefaults, isFieldActive, type ConfigField, type OperatorSpec } from '../../engine';
import { CheckboxField } from './fields/CheckboxField';
import { NumberField } from './fields/NumberField';
import { SelectField } from './fields/SelectField';
import { TextField } from './fields/TextField';

interface Props {
  op: OperatorSpec;
  /** Messages for `config.<name>`. */
  messagesFor(field: string): string[];
  /** Sets a config value (`undefined` = back to the default). */
  onSet(field: string, value: unknown, coalesce?: string): void;
}

/** The config fields shown for an operator (those whose `visibleWhen` holds). */
export function visibleConfigFields(op: OperatorSpec): ConfigField[] {
  const full = configWithDefaults(op.kind, op.config);
  return CATALOGUE[op.kind].fields.filter((f) => isFieldActive(f, full));
}

function ConfigInput({ field, value, messages, onSet }: { field: ConfigField; value: unknown; messages: string[]; onSet: Props['onSet'] }) {
  const testId = `inspector-${field.name}`;
  switch (field.type) {
    case 'int':
    case 'number':
      return (
        <NumberField
          testId={testId} label={field.label} unit={field.unit} help={field.help} messages={messages}
          value={typeof value === 'number' ? value : undefined} placeholder={String(field.default)}
          min={field.min} max={field.max} integer={field.type === 'int'} allowEmpty
          onChange={(v, coalesce) => onSet(field.name, v, coalesce)}
        />
      );
    case 'enum':
      return (
        <SelectField
          testId={testId} label={field.label} help={field.help} messages={messages} value={String(value)}
          options={(field.options ?? []).map((o) => ({ value: o, label: o }))}
          onChange={(v) => onSet(field.name, v)}
        />
      );
    case 'boolean':
      return (
        <CheckboxField
          testId={testId} label={field.label} help={field.help} messages={messages}
          checked={value === true} onChange={(v) => onSet(field.name, v)}
        />
      );
    default:
      return (
        <TextField
          testId={testId} label={field.label} help={field.help} messages={messages}
          value={value === undefined || value === null ? '' : String(value)} mono={field.type !== 'string'}
          onChange={(v, coalesce) => onSet(field.name, v, coalesce)}
        />
      );
  }
}

export function ConfigFields({ op, messagesFor, onSet }: Props) {
  const fields = visibleConfigFields(op);
  if (CATALOGUE[op.kind].fields.length === 0) {
    return <p className="inspector__note">{CATALOGUE[op.kind].label} has no settings.</p>;
  }
  const full = configWithDefaults(op.kind, op.config);
  return (
    <>
      {fields.map((field) => (
        <ConfigInput key={field.name} field={field} value={full[field.name]} messages={messagesFor(field.name)} onSet={onSet} />
      ))}
    </>
  );
}
