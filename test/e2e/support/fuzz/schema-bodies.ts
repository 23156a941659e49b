import fc from 'fast-check';
import type { Schema } from './openapi-operations';
import {
  hostileJson,
  hostileNumber,
  hostileString,
  jsonValue,
  objectFrom,
  PROTOTYPE_KEYS,
} from './hostile-values';

/**
 * Names the fuzzer also registers, so that near-valid bodies and path params
 * reach existing resources (and the code past "404 not found") now and then.
 */
export const KNOWN_NAMES = ['fuzz-agent', 'fuzz-flow', 'fuzz-transform', 'fuzz-route'] as const;

const NAME_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
const ISO_DATE = fc
  .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** A value that satisfies `schema` (as far as the fuzzer reads schemas). */
export function validValue(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf && schema.oneOf.length > 0) {
    return fc.oneof(...schema.oneOf.map((s) => validValue(s, depth + 1)));
  }
  switch (schema.type) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items && depth < 4 ? validValue(schema.items, depth + 1) : jsonValue, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    default:
      if (schema.properties && depth < 4) return validObject(schema, depth);
      return schema.type === 'object'
        ? fc.dictionary(fc.string({ maxLength: 10 }), jsonValue, { maxKeys: 4 })
        : jsonValue;
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'url') return fc.webUrl();
  if (schema.format === 'date-time' || schema.format === 'date') return ISO_DATE;
  if (schema.pattern === NAME_PATTERN) {
    return fc.oneof(
      fc.constantFrom(...KNOWN_NAMES),
      fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    );
  }
  if (schema.pattern)
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= 250);
  const minLength = schema.minLength ?? 0;
  return fc.string({
    minLength,
    maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 30, 30)),
  });
}

function validObject(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [key, validValue(value, depth + 1)]),
  );
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
}

/** Just past the limits the schema states, and exactly on them. */
export function boundaryValue(schema: Schema): fc.Arbitrary<unknown> {
  const candidates: unknown[] = [];
  if (schema.maxLength !== undefined) {
    candidates.push('x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1));
  }
  if (schema.minLength !== undefined && schema.minLength > 0) {
    candidates.push('x'.repeat(schema.minLength - 1));
  }
  if (schema.minimum !== undefined) candidates.push(schema.minimum, schema.minimum - 1);
  if (schema.maximum !== undefined) candidates.push(schema.maximum, schema.maximum + 1);
  if (schema.type === 'integer') candidates.push(1.5, 2 ** 53, -(2 ** 53), '1');
  if (schema.maxItems !== undefined) candidates.push(new Array(schema.maxItems + 1).fill('a'));
  if (schema.minItems !== undefined && schema.minItems > 0) candidates.push([]);
  if (schema.enum)
    candidates.push(`${String(schema.enum[0])}x`, String(schema.enum[0]).toUpperCase());
  if (schema.format === 'uuid')
    candidates.push('00000000-0000-0000-0000-00000000000g', 'not-a-uuid');
  if (candidates.length === 0) return hostileString;
  return fc.constantFrom(...candidates);
}

/** A value of a JSON type the schema does not allow (and sometimes one it does, but hostile). */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, '', 'x', [], {}, [null], { '': null }),
  hostileNumber,
  hostileString,
  hostileJson,
);

type Mutation =
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'delete'; field: string }
  | { kind: 'extra'; field: string; value: unknown };

function mutationsFor(schema: Schema, depth: number): fc.Arbitrary<Mutation> {
  const fields = Object.keys(schema.properties ?? {});
  const extra = fc.record({
    kind: fc.constant('extra' as const),
    field: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 })),
    value: hostileJson,
  });
  if (fields.length === 0) return extra;
  const field = fc.constantFrom(...fields);
  const set = field.chain((name) => {
    const fieldSchema = schema.properties![name];
    const options: fc.Arbitrary<unknown>[] = [
      wrongTypeValue,
      boundaryValue(fieldSchema),
      fc.constant(null),
    ];
    if (fieldSchema.properties && depth < 3) options.push(nearValidValue(fieldSchema, depth + 1));
    return fc.oneof(...options).map((value) => ({ kind: 'set' as const, field: name, value }));
  });
  const remove = field.map((name) => ({ kind: 'delete' as const, field: name }));
  return fc.oneof(
    { arbitrary: set, weight: 5 },
    { arbitrary: remove, weight: 1 },
    { arbitrary: extra, weight: 2 },
  );
}

/**
 * A body that is valid but for one to three things: a field of the wrong
 * type, on or past a limit, null, missing, or an extra (possibly "__proto__") key.
 */
export function nearValidValue(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (!schema.properties) return fc.oneof(validValue(schema, depth), wrongTypeValue);
  return fc
    .tuple(
      validObject(schema, depth),
      fc.array(mutationsFor(schema, depth), { minLength: 1, maxLength: 3 }),
    )
    .map(([base, mutations]) => {
      const entries = new Map(Object.entries(base));
      for (const mutation of mutations) {
        if (mutation.kind === 'delete') entries.delete(mutation.field);
        else entries.set(mutation.field, mutation.value);
      }
      return objectFrom([...entries]);
    });
}
