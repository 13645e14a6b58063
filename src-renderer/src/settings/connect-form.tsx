import { useId, useState, type FormEvent } from 'react';
import type {
  ConnectFieldSummary,
  IntegrationSummary,
} from '../../../src-shared/domain/integrations';
import { useSlice, useStores } from '../app/stores-context';

/** What a field holds before the user touched it: a choice's first option, else nothing. */
function valueOf(field: ConnectFieldSummary, typed: Readonly<Record<string, string>>): string {
  const value = typed[field.name];
  if (field.kind === 'text') return value ?? '';
  // The choices come from main and may change (an admin pins another target): keep only a value it still offers.
  const choices = field.choices ?? [];
  return choices.some((choice) => choice.value === value)
    ? (value as string)
    : (choices[0]?.value ?? '');
}

/**
 * The Connect form of one integration, generated from the fields main describes. Main checks the
 * answers (it knows each integration's rules and the admin's settings); a refusal shows under the form.
 */
export function ConnectForm({
  integration,
  fields,
}: {
  readonly integration: IntegrationSummary;
  readonly fields: readonly ConnectFieldSummary[];
}) {
  const { integrations, browser } = useStores();
  const error = useSlice(integrations, (state) => state.connectErrors[integration.id]);
  const [typed, setTyped] = useState<Readonly<Record<string, string>>>({});
  const [submitting, setSubmitting] = useState(false);
  const baseId = useId();
  const errorId = `${baseId}-error`;

  const change = (name: string, value: string) => {
    setTyped((before) => ({ ...before, [name]: value }));
    integrations.getState().clearConnectError(integration.id);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    browser.prepare();
    setSubmitting(true);
    const answers = Object.fromEntries(
      fields
        .map((field) => [field.name, valueOf(field, typed).trim()])
        .filter(([, value]) => value !== ''),
    );
    const started = await integrations.getState().connect(integration.id, answers);
    setSubmitting(false);
    if (started) setTyped({});
    else browser.cancel();
  };

  return (
    <form className="connect-form" onSubmit={(event) => void submit(event)} noValidate>
      {fields.map((field) => {
        const id = `${baseId}-${field.name}`;
        const describedBy =
          [field.help ? `${id}-help` : '', error ? errorId : ''].filter(Boolean).join(' ') ||
          undefined;
        return (
          <div key={field.name} className="connect-field">
            <label htmlFor={id}>{field.label}</label>
            {field.kind === 'choice' ? (
              <select
                id={id}
                value={valueOf(field, typed)}
                aria-describedby={describedBy}
                onChange={(event) => change(field.name, event.target.value)}
              >
                {(field.choices ?? []).map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type="text"
                value={valueOf(field, typed)}
                placeholder={field.placeholder}
                maxLength={300}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
                onChange={(event) => change(field.name, event.target.value)}
              />
            )}
            {field.help ? (
              <span id={`${id}-help`} className="hint">
                {field.help}
              </span>
            ) : null}
          </div>
        );
      })}
      <div className="card-actions">
        <button type="submit" className="primary-button" disabled={submitting}>
          {integration.connections.length === 0 ? 'Connect' : 'Add connection'}
        </button>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
