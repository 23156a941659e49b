import type { Command, Option } from 'commander';
import { CliError, ExitCodes } from '../exit-codes';
import type { Io } from '../context';

export function registerCompletion(program: Command, io: Io): void {
  program
    .command('completion')
    .description('Print a shell completion script: `source <(baton completion bash)`, or zsh')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') {
        throw new CliError(`shell: '${shell}' is not bash or zsh`, ExitCodes.usage);
      }
      io.stdout(completionScript(program, shell));
    });
}

/** Every command path and the words that may follow it, read from the program itself. */
export function completionTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const globals = optionWords(program.options as readonly Option[]);
  const visit = (command: Command, path: string): void => {
    const words = [
      ...command.commands.map((child) => child.name()),
      ...optionWords(command.options as readonly Option[]),
      ...globals,
    ];
    table.set(path, [...new Set(words)].sort());
    for (const child of command.commands)
      visit(child, path ? `${path} ${child.name()}` : child.name());
  };
  visit(program, '');
  return table;
}

function optionWords(options: readonly Option[]): string[] {
  return options.flatMap((option) => [option.long, option.short].filter((w): w is string => !!w));
}

/**
 * A script for bash (and zsh through bashcompinit): the longest known command
 * path among the words typed so far picks the candidates.
 */
export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const cases = [...completionTable(program)]
    .map(([path, words]) => `    "${path}") words="${words.join(' ')}" ;;`)
    .join('\n');
  const body = `_baton_complete() {
  local cur path="" candidate word i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    candidate="\${path:+$path }$word"
    if _baton_words "$candidate" >/dev/null; then path="$candidate"; fi
  done
  COMPREPLY=( $(compgen -W "$(_baton_words "$path")" -- "$cur") )
}
_baton_words() {
  local words
  case "$1" in
${cases}
    *) return 1 ;;
  esac
  echo "$words"
}
complete -o default -F _baton_complete baton`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}\n` : `${body}\n`;
}
