import { IsInt, IsString, MaxLength, getMetadataStorage, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { cacheValidationMetadata } from './validation-metadata-cache';

class Base {
  @IsString()
  name!: string;
}

class Derived extends Base {
  @IsInt()
  count!: number;

  @MaxLength(3, { groups: ['short'] })
  code!: string;
}

function problems(cls: new () => object, plain: object, groups?: string[]): string[] {
  return validateSync(plainToInstance(cls, plain), groups ? { groups } : {})
    .flatMap((e) => Object.keys(e.constraints ?? {}).map((c) => `${e.property}:${c}`))
    .sort();
}

describe('cacheValidationMetadata', () => {
  beforeAll(() => cacheValidationMetadata());

  it('is installed once, however often it is called', () => {
    const storage = getMetadataStorage();
    const installed = storage.getTargetValidationMetadatas;
    cacheValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(installed);
  });

  it('finds the same rules as class-validator, inherited ones and groups included, each time', () => {
    const bad = { name: 7, count: 'x', code: 'toolong' };
    for (let i = 0; i < 2; i++) {
      // Without groups class-validator applies every rule, grouped ones too.
      expect(problems(Derived, bad)).toEqual(['code:maxLength', 'count:isInt', 'name:isString']);
      expect(problems(Derived, bad, ['short'])).toEqual(['code:maxLength']);
      expect(problems(Base, bad)).toEqual(['name:isString']);
    }
    expect(problems(Derived, { name: 'a', count: 1, code: 'abc' })).toEqual([]);
  });

  it('forgets what it kept when a rule is added: a class defined later is checked by its rules', () => {
    const good = { name: 'a', count: 1, code: 'abc' };
    expect(problems(Derived, good)).toEqual([]);
    class Later extends Derived {
      @IsString()
      note!: string;
    }
    expect(problems(Later, { ...good, note: 5 })).toEqual(['note:isString']);
    expect(problems(Later, { ...good, count: 'x', note: 5 })).toEqual([
      'count:isInt',
      'note:isString',
    ]);
    // The rule added to a subclass leaves its parent's rules as they were.
    expect(problems(Derived, { ...good, note: 5 })).toEqual([]);
  });
});
