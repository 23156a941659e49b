import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import YAML from 'yaml';
import { CliError } from '../exit-codes';
import { readText } from '../input';

export type ManifestKind = 'workflow' | 'agent' | 'connection';

/** One document of a file given to `baton apply`. */
export interface Manifest {
  kind: ManifestKind;
  name: string;
  /** Where it came from, for messages: `agents/triage.yaml` or `all.yaml#2`. */
  origin: string;
  /** The document's data: for a workflow the whole `{ workflow: ... }`, else the inner object. */
  body: Record<string, unknown>;
  /** A workflow's text as written, sent as is so its stored source keeps the comments. */
  text: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** More files than this is a mistake (a home folder given to -f), not a configuration. */
export const MAX_FILES = 1000;
/** Applied in this order: workflows name agents and connections. */
const ORDER: ManifestKind[] = ['connection', 'agent', 'workflow'];

/** The files under each path (a file itself, or the .yaml/.yml/.json under a folder), sorted. */
export function collectFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (path: string, given: boolean): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new CliError(`${path}: no such file or folder`);
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!entry.startsWith('.')) visit(join(path, entry), false);
      }
    } else if (given || EXTENSIONS.has(extname(path).toLowerCase())) {
      files.push(path);
    }
    if (files.length > MAX_FILES) throw new CliError(`more than ${MAX_FILES} files under ${path}`);
  };
  for (const path of paths) visit(path, true);
  return files;
}

/** Every document of every file, connections first, then agents, then workflows. */
export function loadManifests(
  files: string[],
  read: (path: string) => string = readText,
): Manifest[] {
  const manifests = files.flatMap((file) => parseManifests(file, read(file)));
  const seen = new Set<string>();
  for (const manifest of manifests) {
    const key = `${manifest.kind}/${manifest.name}`;
    if (seen.has(key)) throw new CliError(`${manifest.origin}: ${key} is defined twice`);
    seen.add(key);
  }
  return manifests.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

/** The documents of one file (YAML may hold several, separated by `---`). */
export function parseManifests(file: string, text: string): Manifest[] {
  const documents = YAML.parseAllDocuments(text);
  if (!Array.isArray(documents)) return []; // an empty file
  const several = documents.length > 1;
  return documents.flatMap((document, index) => {
    const origin = several ? `${file}#${index + 1}` : file;
    const error = document.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      const where = at ? ` (line ${at.line}, column ${at.col})` : '';
      throw new CliError(`${origin}: not valid YAML${where}: ${error.message.split('\n')[0]}`);
    }
    const data = document.toJS({ maxAliasCount: 100 }) as unknown;
    if (data === null || data === undefined) return [];
    return [toManifest(origin, data, several ? document.toString() : text)];
  });
}

function toManifest(origin: string, data: unknown, text: string): Manifest {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(`${origin}: expected a mapping with a workflow:, agent: or connection: key`);
  }
  const record = data as Record<string, unknown>;
  const kinds = ORDER.filter((kind) => kind in record);
  if (kinds.length !== 1) {
    throw new CliError(
      `${origin}: expected exactly one top-level key of workflow:, agent: or connection:` +
        (kinds.length ? ` (found ${kinds.join(', ')})` : ''),
    );
  }
  const kind = kinds[0]!;
  const inner = record[kind];
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
    throw new CliError(`${origin}: ${kind}: must be a mapping`);
  }
  const name = (inner as Record<string, unknown>).name;
  if (typeof name !== 'string' || name === '') {
    throw new CliError(`${origin}: ${kind}.name: required`);
  }
  return {
    kind,
    name,
    origin,
    body: kind === 'workflow' ? record : (inner as Record<string, unknown>),
    text,
  };
}
