import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
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
export function decoratorStack(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };
}

/** An optional string of at most `maxLength` characters. */
export function OptionalText(maxLength: number): PropertyDecorator {
  return decoratorStack(IsOptional(), IsString(), MaxLength(maxLength));
}

/** An optional ISO 8601 date or time. */
export function OptionalTimestamp(): PropertyDecorator {
  return decoratorStack(IsOptional(), IsISO8601());
}

/** An optional list of at most `maxItems` strings, each of at most `maxLength` characters. */
export function OptionalTextList(maxItems: number, maxLength: number): PropertyDecorator {
  return decoratorStack(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    MaxLength(maxLength, { each: true }),
  );
}

/** An optional uuid (any version). */
export function OptionalUuid(): PropertyDecorator {
  return decoratorStack(IsOptional(), IsUUID());
}

/** An optional JSON object (not an array, not null when given). */
export function OptionalObject(): PropertyDecorator {
  return decoratorStack(IsOptional(), IsObject());
}

/** A whole number from `min` to `max`, both included. */
export function IntBetween(min: number, max: number): PropertyDecorator {
  return decoratorStack(IsInt(), Min(min), Max(max));
}
