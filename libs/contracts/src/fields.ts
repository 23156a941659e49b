import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/**
 * The decorator stacks most DTO and env fields repeat, each named once. A
 * stack applies its decorators as TypeScript applies them written one a line
 * (the bottom one first), so the metadata, the OpenAPI schema and the order of
 * validation messages are what the three lines gave.
 */
function stack(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };
}

/** An optional string of at most `maxLength` characters. */
export function OptionalText(maxLength: number): PropertyDecorator {
  return stack(IsOptional(), IsString(), MaxLength(maxLength));
}

/** A whole number from `min` to `max`, both included. */
export function IntBetween(min: number, max: number): PropertyDecorator {
  return stack(IsInt(), Min(min), Max(max));
}

/** An optional list of at most `maxItems` strings, each of at most `maxLength` characters. */
export function OptionalTextList(maxItems: number, maxLength: number): PropertyDecorator {
  return stack(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    MaxLength(maxLength, { each: true }),
  );
}

/** An optional ISO 8601 instant. */
export function OptionalInstant(): PropertyDecorator {
  return stack(IsOptional(), IsISO8601());
}
