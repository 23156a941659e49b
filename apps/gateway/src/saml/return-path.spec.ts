import { safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
  it('keeps a path on the gateway', () => {
    expect(safeReturnPath('/console/')).toBe('/console/');
    expect(safeReturnPath('/v1/agents?limit=5#top')).toBe('/v1/agents?limit=5#top');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/ok\r\nSet-Cookie: x=1',
    '',
    'console',
  ])('sends %j to / instead', (value) => {
    expect(safeReturnPath(value)).toBe('/');
  });

  it('ignores what is not text or is too long', () => {
    expect(safeReturnPath(undefined)).toBe('/');
    expect(safeReturnPath(['/a'])).toBe('/');
    expect(safeReturnPath(`/${'a'.repeat(1_024)}`)).toBe('/');
  });
});
