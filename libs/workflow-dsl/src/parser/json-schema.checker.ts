import Ajv, { type AnySchema } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { linearRegExpForAjv } from '@baton/tenant-code';

/** Tenant schemas' `pattern`s run on RE2: linear-time whatever they say. */
const TENANT_REGEX = { regExp: linearRegExpForAjv };

export type SchemaVerdict =
  | { readonly ok: true }
  /** Compiles, but only once strict mode is off (unknown keywords and the like). */
  | { readonly ok: true; readonly warning: string }
  | { readonly ok: false; readonly error: string };

type AjvInstance = Ajv | Ajv2020;
const instances = new Map<string, AjvInstance>();

/** One instance per draft and strictness, created on first use because Ajv is costly to build. */
function ajvFor(draft2020: boolean, strict: boolean): AjvInstance {
  const key = `${draft2020}:${strict}`;
  let ajv = instances.get(key);
  if (!ajv) {
    const options = { allErrors: true, strict, validateSchema: true, code: TENANT_REGEX };
    ajv = draft2020 ? new Ajv2020(options) : new Ajv(options);
    addFormats(ajv);
    instances.set(key, ajv);
  }
  return ajv;
}

function tryCompile(ajv: AjvInstance, schema: AnySchema): string | undefined {
  try {
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    // Forget the schema so that a second parse of the same document (same $id) compiles again.
    ajv.removeSchema(schema);
  }
}

/** Compiles a JSON Schema the way the engine will use it, without keeping it. */
export function checkJsonSchema(schema: Record<string, unknown>): SchemaVerdict {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const draft2020 = declared.includes('2020-12');
  const strictError = tryCompile(ajvFor(draft2020, true), schema);
  if (strictError === undefined) return { ok: true };
  const lenientError = tryCompile(ajvFor(draft2020, false), schema);
  return lenientError === undefined
    ? { ok: true, warning: strictError }
    : { ok: false, error: lenientError };
}
