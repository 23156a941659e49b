import type { OpenAPIObject } from '@nestjs/swagger';

const REF = /"#\/components\/schemas\/([^"]+)"/g;

/**
 * Keeps only the component schemas the routes use, directly or through other
 * schemas. class-validator-jsonschema turns every decorated class the process
 * has loaded into a schema (Kafka messages, the environment's class), which
 * describes no route, tells the world the shape of internal messages, and
 * made the document depend on what else happened to be imported.
 */
export function keepReachableSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const reached = new Set<string>();
  const pending = [...JSON.stringify(document.paths).matchAll(REF)].map((m) => m[1]!);
  while (pending.length) {
    const name = pending.pop()!;
    if (reached.has(name) || !schemas[name]) continue;
    reached.add(name);
    for (const match of JSON.stringify(schemas[name]).matchAll(REF)) pending.push(match[1]!);
  }
  document.components!.schemas = Object.fromEntries(
    Object.keys(schemas)
      .filter((name) => reached.has(name))
      .sort()
      .map((name) => [name, schemas[name]!]),
  );
}
