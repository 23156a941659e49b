import { parse } from 'yaml';
import type { JsonSchema } from '../api/types';

/** One input of the run form, derived from a property of the workflow's input_schema. */
export interface InputField {
  name: string;
  kind: 'text' | 'number' | 'boolean' | 'choice' | 'json';
  required: boolean;
  description?: string;
  choices?: string[];
}

/** The input_schema a workflow's YAML source declares, if any. Pure. */
export function inputSchemaOf(source: string): JsonSchema | undefined {
  try {
    const document = parse(source, { maxAliasCount: 50 }) as {
      workflow?: { input_schema?: JsonSchema };
    } | null;
    const schema = document?.workflow?.input_schema;
    return schema && typeof schema === 'object' ? schema : undefined;
  } catch {
    return undefined;
  }
}

/** The form's fields: one per property of an object schema; none means "free JSON". */
export function inputFields(schema: JsonSchema | undefined): InputField[] {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const type = Array.isArray(property.type) ? property.type[0] : property.type;
    const base = { name, required: required.has(name), description: property.description };
    if (property.enum) return { ...base, kind: 'choice', choices: property.enum.map(String) };
    if (type === 'string') return { ...base, kind: 'text' };
    if (type === 'number' || type === 'integer') return { ...base, kind: 'number' };
    if (type === 'boolean') return { ...base, kind: 'boolean' };
    return { ...base, kind: 'json' };
  });
}

/** The run's input from the form's values, or the fields that are wrong. Pure. */
export function inputFromForm(
  fields: InputField[],
  values: Record<string, string | boolean>,
): { input?: Record<string, unknown>; errors: { field: string; message: string }[] } {
  const input: Record<string, unknown> = {};
  const errors: { field: string; message: string }[] = [];
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'boolean') {
      input[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      if (field.required) errors.push({ field: field.name, message: 'is required' });
      continue;
    }
    if (field.kind === 'number') {
      const number = Number(text);
      if (Number.isFinite(number)) input[field.name] = number;
      else errors.push({ field: field.name, message: 'must be a number' });
    } else if (field.kind === 'json') {
      try {
        input[field.name] = JSON.parse(text);
      } catch {
        errors.push({ field: field.name, message: 'must be JSON' });
      }
    } else input[field.name] = text;
  }
  return errors.length ? { errors } : { input, errors };
}

/** Free-form input when the workflow declares no schema: a JSON object. */
export function inputFromJson(text: string): {
  input?: Record<string, unknown>;
  errors: { field: string; message: string }[];
} {
  if (!text.trim()) return { input: {}, errors: [] };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return { input: value as Record<string, unknown>, errors: [] };
    return { errors: [{ field: 'input', message: 'must be a JSON object' }] };
  } catch (error) {
    return { errors: [{ field: 'input', message: `is not JSON: ${(error as Error).message}` }] };
  }
}
