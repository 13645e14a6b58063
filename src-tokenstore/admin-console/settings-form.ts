import { z } from 'zod';
import type { IntegrationInfo, TargetPolicy } from '../../src-shared/integrations/integration-info';
import type { FormBody } from './form-body';
import { html, type SafeHtml } from './html';

/** One field of an integration's settings form, derived from its settings schema. */
export type SettingsField =
  | { readonly kind: 'text'; readonly key: string; readonly label: string; readonly value: string }
  | { readonly kind: 'flag'; readonly key: string; readonly label: string; readonly value: boolean }
  | {
      readonly kind: 'list';
      readonly key: string;
      readonly label: string;
      readonly columns: readonly {
        readonly key: string;
        readonly label: string;
        readonly required: boolean;
      }[];
      readonly rows: readonly Readonly<Record<string, string>>[];
      readonly maxItems: number;
    };

interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly maxItems?: number;
}

/** Blank rows offered under a list's filled ones, so an admin can add entries without script. */
const BLANK_ROWS = 2;

/** `orgUrl` -> `Org URL`, `loginUrl` -> `Login URL`: a label from a property name. */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return (words.charAt(0).toUpperCase() + words.slice(1)).replace(/\burl\b/gi, 'URL');
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/**
 * The form for an integration's settings, generated from its catalog schema (as JSON Schema, the
 * shape an admin types: https://zod.dev/json-schema): strings become text fields, booleans
 * checkboxes, lists of objects a table of rows. The same schema then checks what was typed, so the
 * form can offer nothing the store would not accept.
 */
export function settingsFields(
  info: IntegrationInfo,
  policy: TargetPolicy,
  settings: Readonly<Record<string, unknown>>,
): SettingsField[] {
  const schema = z.toJSONSchema(info.adminSettingsSchema(policy), {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return Object.entries(schema.properties ?? {}).flatMap(([key, property]): SettingsField[] => {
    const label = property.description ?? labelOf(key);
    if (property.type === 'string')
      return [{ kind: 'text', key, label, value: text(settings[key]) }];
    if (property.type === 'boolean')
      return [{ kind: 'flag', key, label, value: settings[key] === true }];
    if (property.type === 'array' && property.items?.type === 'object') {
      const item = property.items;
      const columns = Object.entries(item.properties ?? {})
        .filter(([, column]) => column.type === 'string')
        .map(([column, shape]) => ({
          key: column,
          label: shape.description ?? labelOf(column),
          required: item.required?.includes(column) ?? false,
        }));
      const stored = Array.isArray(settings[key]) ? (settings[key] as unknown[]) : [];
      const rows = stored.map((row) =>
        Object.fromEntries(
          columns.map((column) => [column.key, text((row as Record<string, unknown>)[column.key])]),
        ),
      );
      return [{ kind: 'list', key, label, columns, rows, maxItems: property.maxItems ?? 20 }];
    }
    return [];
  });
}

/** The settings a submitted form stands for: blank fields and blank rows are left out. */
export function settingsFromForm(
  fields: readonly SettingsField[],
  form: FormBody,
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'text') {
      const value = form.get(`s.${field.key}`);
      if (value) settings[field.key] = value;
    } else if (field.kind === 'flag') {
      if (form.get(`s.${field.key}`) === 'on') settings[field.key] = true;
    } else {
      const rows: Record<string, string>[] = [];
      for (let index = 0; index < field.maxItems + BLANK_ROWS; index += 1) {
        const row: Record<string, string> = {};
        for (const column of field.columns) {
          const value = form.get(`s.${field.key}.${index}.${column.key}`);
          if (value) row[column.key] = value;
        }
        if (Object.keys(row).length > 0) rows.push(row);
      }
      if (rows.length > 0) settings[field.key] = rows;
    }
  }
  return settings;
}

/** The settings fields as HTML, with the problems found in each, if any. */
export function renderSettingsFields(
  fields: readonly SettingsField[],
  issues: readonly { readonly path: string; readonly message: string }[] = [],
): SafeHtml {
  if (fields.length === 0) return html`<p class="muted">This integration has no settings.</p>`;
  const problems = (prefix: string) => {
    const found = issues.filter(
      (issue) => issue.path === prefix || issue.path.startsWith(`${prefix}.`),
    );
    return found.length
      ? html`<ul class="issues">
          ${found.map((issue) => html`<li>${issue.message}</li>`)}
        </ul>`
      : '';
  };
  return html`${fields.map((field) => {
    const path = `settings.${field.key}`;
    if (field.kind === 'text')
      return html`<p>
          <label
            >${field.label}
            <input type="text" name="s.${field.key}" value="${field.value}" size="50"
          /></label>
        </p>
        ${problems(path)}`;
    if (field.kind === 'flag')
      return html`<p>
          <label
            ><input type="checkbox" name="s.${field.key}" ${field.value ? html`checked` : ''} />
            ${field.label}</label
          >
        </p>
        ${problems(path)}`;
    const rows = [
      ...field.rows,
      ...Array.from(
        { length: Math.min(BLANK_ROWS, field.maxItems - field.rows.length) },
        () => ({}),
      ),
    ] as Readonly<Record<string, string>>[];
    return html`<table>
        <caption>
          ${field.label}
          <span class="muted">(up to ${field.maxItems}; clear a row to remove it)</span>
        </caption>
        <thead>
          <tr>
            ${field.columns.map(
              (column) =>
                html`<th scope="col">${column.label}${column.required ? '' : ' (optional)'}</th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row, index) =>
              html`<tr>
                ${field.columns.map(
                  (column) =>
                    html`<td>
                      <input
                        type="text"
                        name="s.${field.key}.${index}.${column.key}"
                        value="${row[column.key] ?? ''}"
                        aria-label="${field.label} ${index + 1}: ${column.label}"
                      />
                    </td>`,
                )}
              </tr>`,
          )}
        </tbody>
      </table>
      ${problems(path)}`;
  })}`;
}
