import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

const cached = new WeakSet<MetadataStorage>();

/**
 * Remembers the rules class-validator finds for each class. To find a
 * class's rules it scans every class it knows (about 140 here) for ancestors
 * with `instanceof`, on every validate and again for every nested object: in
 * the services' CPU profiles that scan was the largest single function of
 * class-validator, and half of a small command's `validateInto` (issue 20).
 * The rules are fixed once the classes are defined, so the answer is kept
 * per class and options; it is forgotten whenever a rule is added (a class
 * defined later, a schema registered). Callers only read the returned list.
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  if (cached.has(storage)) return;
  cached.add(storage);
  let byClass = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  const find = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    byClass = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${String(always)}|${String(strictGroups)}|${schema}|${(groups ?? []).join('\u0000')}`;
    let forClass = byClass.get(target);
    if (!forClass) {
      forClass = new Map();
      byClass.set(target, forClass);
    }
    let rules = forClass.get(key);
    if (!rules) {
      rules = find(target, schema, always, strictGroups, groups);
      forClass.set(key, rules);
    }
    return rules;
  };
}
