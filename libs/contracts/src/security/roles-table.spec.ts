import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROLE_PERMISSIONS, ROLES } from './permissions';
import { roleSummaries, rolesMarkdownTable } from './roles-table';

describe('roles table', () => {
  it('describes every role with exactly its permissions', () => {
    const summaries = roleSummaries();
    expect(summaries.map((r) => r.name)).toEqual([...ROLES]);
    for (const role of summaries) {
      expect(role.permissions).toEqual([...ROLE_PERMISSIONS[role.name]]);
      expect(role.description.length).toBeGreaterThan(0);
    }
  });

  it('is the one in docs/security.md (regenerate it with rolesMarkdownTable() when roles change)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../../docs/security.md'), 'utf8');
    const begin = '<!-- roles-table:begin -->';
    const end = '<!-- roles-table:end -->';
    const start = readme.indexOf(begin);
    const stop = readme.indexOf(end);
    expect(start).toBeGreaterThan(-1);
    expect(stop).toBeGreaterThan(start);
    // The table sits between prettier-ignore comments, so prettier keeps it as generated.
    const copy = readme
      .slice(start + begin.length, stop)
      .split('\n')
      .filter((line) => !line.startsWith('<!--'))
      .join('\n')
      .trim();
    expect(copy).toBe(rolesMarkdownTable());
  });
});
