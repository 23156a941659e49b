import { buildProgram } from '../cli';
import { completionScript, completionTable } from './completion';

describe('completion', () => {
  const program = buildProgram({
    stdout: () => undefined,
    stderr: () => undefined,
    env: {},
    interactive: false,
  });

  it('offers every command, subcommand and option from the program itself', () => {
    const table = completionTable(program);
    expect(table.get('')).toEqual(expect.arrayContaining(['apply', 'runs', 'keys', '--output']));
    expect(table.get('runs')).toEqual(expect.arrayContaining(['ls', 'get', 'cancel', 'retry']));
    expect(table.get('run')).toEqual(expect.arrayContaining(['--input', '--wait']));
    expect(table.get('events tail')).toEqual(expect.arrayContaining(['--type']));
  });

  it('prints a bash script, and the same for zsh through bashcompinit', () => {
    expect(completionScript(program, 'bash')).toContain(
      'complete -o default -F _baton_complete baton',
    );
    expect(completionScript(program, 'zsh')).toMatch(
      /^autoload -U \+X bashcompinit && bashcompinit\n/,
    );
  });
});
