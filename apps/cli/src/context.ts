import { HttpClient, OrchestratePlatform } from '../../../libs/sdk/src/client';
import { Command } from 'commander';
import { configPath, readConfig, resolveCredentials, type Credentials } from './config-store';
import { renderItem, renderList, type Column, type OutputFormat } from './output/render';

/** What the CLI prints to and reads from: the process's, or a test's. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** True when stderr is a terminal: progress may redraw lines. */
  interactive: boolean;
}

export interface GlobalOptions {
  output: OutputFormat;
  endpoint?: string;
  debug?: boolean;
  timeout: number;
}

/** One command's view of the CLI: its options, where to print, and a client. */
export class CliContext {
  private client?: OrchestratePlatform;
  private raw?: HttpClient;

  constructor(
    readonly io: Io,
    readonly options: GlobalOptions,
  ) {}

  static of(command: Command, io: Io): CliContext {
    return new CliContext(io, command.optsWithGlobals<GlobalOptions>());
  }

  get format(): OutputFormat {
    return this.options.output;
  }

  get configFile(): string {
    return configPath(this.io.env);
  }

  credentials(): Credentials {
    return resolveCredentials(readConfig(this.configFile), this.io.env, {
      endpoint: this.options.endpoint,
    });
  }

  platform(): OrchestratePlatform {
    this.client ??= new OrchestratePlatform(this.clientOptions());
    return this.client;
  }

  /** For the few calls the SDK has no method for. */
  http(): HttpClient {
    this.raw ??= new HttpClient(this.clientOptions());
    return this.raw;
  }

  /** Results: to stdout, so `baton ... -o json | jq` works. */
  print(text: string): void {
    this.io.stdout(text);
  }

  /** One resource or answer, in the chosen format (a table of its fields). */
  printItem(item: unknown): void {
    this.print(renderItem(item, this.format));
  }

  /**
   * A page of a list: as a table, `columns` of its items; as json or yaml, the
   * whole page, next_cursor included, so a script can ask for the next one.
   */
  printPage<T>(page: { items: T[] }, columns: Column<T>[]): void {
    this.print(
      this.format === 'table'
        ? renderList(page.items, 'table', columns)
        : renderItem(page, this.format),
    );
  }

  /**
   * One resource with rows of its own (a run's steps, an agent's instances):
   * as a table, its fields then a table of the rows; as json or yaml, `whole`.
   */
  printDetail<T>(
    whole: unknown,
    fields: Record<string, unknown>,
    rows: T[],
    columns: Column<T>[],
  ): void {
    if (this.format !== 'table') return this.printItem(whole);
    this.print(renderItem(fields, 'table'));
    if (rows.length === 0) return;
    this.print('');
    this.print(renderList(rows, 'table', columns));
  }

  /** Progress and notes: to stderr, so they never mix with results. */
  note(text: string): void {
    this.io.stderr(text);
  }

  private clientOptions() {
    const credentials = this.credentials();
    return {
      endpoint: credentials.endpoint,
      apiKey: credentials.apiKey,
      timeoutMs: this.options.timeout * 1000,
      userAgent: 'baton-cli',
    };
  }
}

/**
 * Commander's Command with `act`: an action that receives the command's
 * CliContext first, then its arguments and options, so no command builds its
 * own. Subcommands are BatonCommands too (Commander makes them with
 * `createCommand`), each knowing where the CLI prints.
 */
export class BatonCommand extends Command {
  constructor(
    name: string | undefined,
    private readonly io: Io,
  ) {
    super(name);
  }

  override createCommand(name?: string): BatonCommand {
    return new BatonCommand(name, this.io);
  }

  act<A extends unknown[]>(
    handler: (context: CliContext, ...args: A) => Promise<void> | void,
  ): this {
    // Commander passes the arguments, then the options, then the command itself.
    return this.action((...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      return handler(CliContext.of(command, this.io), ...(args.slice(0, -1) as A));
    });
  }
}
