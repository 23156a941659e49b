import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../exit-codes';
import { collectFiles, loadManifests, parseManifests } from './manifests';

describe('apply manifests', () => {
  it('reads each kind from its top-level key, several documents per file', () => {
    const manifests = parseManifests(
      'all.yaml',
      'agent:\n  name: triage\n  type: worker\n---\nworkflow:\n  name: greet\n  steps: []\n',
    );
    expect(manifests.map((m) => [m.kind, m.name, m.origin])).toEqual([
      ['agent', 'triage', 'all.yaml#1'],
      ['workflow', 'greet', 'all.yaml#2'],
    ]);
    expect(manifests[0]!.body).toEqual({ name: 'triage', type: 'worker' });
    expect(manifests[1]!.body).toEqual({ workflow: { name: 'greet', steps: [] } });
  });

  it('keeps a single workflow document as written (comments too)', () => {
    const text = '# why\nworkflow:\n  name: greet\n';
    expect(parseManifests('w.yaml', text)[0]!.text).toBe(text);
  });

  it('names the file, line and field of a bad document', () => {
    expect(() => parseManifests('bad.yaml', 'agent:\n  name: [\n')).toThrow(
      /^bad\.yaml: not valid YAML \(line 3, column 1\)/,
    );
    expect(() => parseManifests('x.yaml', 'agent:\n  type: worker\n')).toThrow(
      new CliError('x.yaml: agent.name: required'),
    );
    expect(() => parseManifests('x.yaml', 'thing: {}\n')).toThrow(
      'x.yaml: expected exactly one top-level key of workflow:, agent: or connection:',
    );
  });

  it('walks folders for YAML and JSON files and applies connections, agents, then workflows', () => {
    const root = mkdtempSync(join(tmpdir(), 'baton-apply-'));
    mkdirSync(join(root, 'workflows'));
    mkdirSync(join(root, 'agents'));
    writeFileSync(join(root, 'workflows', 'greet.yaml'), 'workflow:\n  name: greet\n');
    writeFileSync(join(root, 'workflows', 'README.md'), '# not a manifest');
    writeFileSync(
      join(root, 'agents', 'triage.json'),
      '{"agent": {"name": "triage", "type": "worker"}}',
    );
    const files = collectFiles([join(root, 'workflows'), join(root, 'agents')]);
    expect(files.map((f) => f.slice(root.length))).toEqual([
      '/workflows/greet.yaml',
      '/agents/triage.json',
    ]);
    expect(loadManifests(files).map((m) => m.kind)).toEqual(['agent', 'workflow']);
    expect(() => loadManifests([...files, files[0]!])).toThrow('workflow/greet is defined twice');
  });
});
