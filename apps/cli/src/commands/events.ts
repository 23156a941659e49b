import type { StoredEventView } from '../../../../libs/sdk/src/client';
import type { OrchestratePlatform } from '../../../../libs/sdk/src/client';
import { SingleBar } from 'cli-progress';
import type { BatonCommand, Io } from '../context';
import { CliError, ExitCodes } from '../exit-codes';
import { renderData } from '../output/render';
import { toInt } from './runs';

/** Pages read per poll when catching up; past this the tail skips ahead (and says so). */
const MAX_PAGES_PER_POLL = 20;

export function registerEvents(program: BatonCommand, io: Io): void {
  const events = program.command('events').description('Stored events');
  events
    .command('tail')
    .description(
      'Print events as they are stored, oldest first (polls GET /v1/events with its cursor)',
    )
    .option('--type <pattern>', "event type, or a pattern such as 'order.*'")
    .option('--subject <subject>', 'only events about this subject')
    .option('-n, --last <n>', 'start with the last n stored events', toInt, 0)
    .option('--max <n>', 'stop after printing n events', toInt)
    .option('--interval <ms>', 'how often to poll', toInt, 1000)
    .act(
      async (
        context,
        options: { type?: string; subject?: string; last: number; max?: number; interval: number },
      ) => {
        const tail = new EventTail(context.platform(), {
          type: options.type,
          subject: options.subject,
        });
        let printed = 0;
        const print = (event: StoredEventView) => {
          context.print(eventLine(event, context.format));
          printed++;
        };
        (await tail.start(options.last)).forEach(print);
        while (options.max === undefined || printed < options.max) {
          await new Promise((resolve) => setTimeout(resolve, options.interval));
          const fresh = await tail.poll();
          if (tail.skipped)
            context.note(`(more events arrived than one poll reads: some were skipped)`);
          for (const event of fresh) {
            if (options.max !== undefined && printed >= options.max) break;
            print(event);
          }
        }
      },
    );

  program
    .command('replay')
    .description(
      'Replay stored events to a Kafka topic (or their original subscriptions), with progress',
    )
    .option('--type <pattern...>', "event types or patterns such as 'order.*'")
    .option('--from <time>', 'events from this time (RFC 3339)')
    .option('--until <time>', 'events before this time (RFC 3339)')
    .option('--subject <subject>', 'only events about this subject')
    .option('--to <topic>', 'the Kafka topic to publish them to')
    .option('--original', 'deliver to the routes and subscriptions that match them now')
    .option('--rate <n>', 'events per second', toInt)
    .option('--dry-run', 'count what would be replayed, send nothing')
    .option('--no-wait', 'start it and print it, without following its progress')
    .act(
      async (
        context,
        options: {
          type?: string[];
          from?: string;
          until?: string;
          subject?: string;
          to?: string;
          original?: boolean;
          rate?: number;
          dryRun?: boolean;
          wait: boolean;
        },
      ) => {
        if (Boolean(options.to) === Boolean(options.original)) {
          throw new CliError('to: give exactly one of --to TOPIC or --original', ExitCodes.usage);
        }
        const platform = context.platform();
        let replay = await platform.createReplay({
          filter: {
            ...(options.type ? { types: options.type } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.until ? { to: options.until } : {}),
            ...(options.subject ? { subject: options.subject } : {}),
          },
          target: options.to ? { topic: options.to } : { original: true },
          ...(options.rate ? { rate_limit: options.rate } : {}),
          ...(options.dryRun ? { dry_run: true } : {}),
        });
        if (options.wait) {
          const bar = io.interactive
            ? new SingleBar({
                format: 'replay {bar} {value}/{total} events',
                stream: process.stderr,
              })
            : undefined;
          let lastReported = -1;
          while (replay.status === 'running') {
            if (bar) {
              if (replay.total !== null && lastReported < 0)
                bar.start(replay.total, replay.processed);
              else if (lastReported >= 0) bar.update(replay.processed);
            } else if (replay.total !== null && replay.processed !== lastReported) {
              context.note(`replay ${replay.id}: ${replay.processed}/${replay.total} events`);
            }
            if (replay.total !== null) lastReported = replay.processed;
            await new Promise((resolve) => setTimeout(resolve, 500));
            replay = await platform.getReplay(replay.id);
          }
          bar?.update(replay.processed);
          bar?.stop();
          context.note(
            `replay ${replay.id} ${replay.status}: ${replay.processed}/${replay.total ?? replay.processed} events`,
          );
        }
        context.printItem(replay);
        if (replay.status === 'failed')
          throw new CliError(`replay failed: ${replay.error ?? ''}`, ExitCodes.failure);
      },
    );
}

/** One event per line in a table; a JSON object per line (JSON Lines) or a YAML document each. */
function eventLine(event: StoredEventView, format: string): string {
  if (format === 'json') return JSON.stringify(event);
  if (format === 'yaml') return `---\n${renderData(event, 'yaml')}`;
  return `${event.time}  ${event.type}  ${event.subject ?? '-'}  ${JSON.stringify(event.data)}`;
}

/**
 * Follows the event store, which lists newest first: each poll reads pages
 * back (with the cursor) until the newest event it printed before, then
 * prints what it found oldest first.
 */
export class EventTail {
  private newestId?: string;
  private started = false;
  skipped = false;

  constructor(
    private readonly platform: Pick<OrchestratePlatform, 'listEvents'>,
    private readonly filter: { type?: string; subject?: string },
  ) {}

  async start(last: number): Promise<StoredEventView[]> {
    const page = await this.platform.listEvents({
      ...this.filter,
      limit: Math.max(1, Math.min(last, 500)),
    });
    this.newestId = page.items[0]?.id;
    this.started = true;
    return last > 0 ? page.items.slice(0, last).reverse() : [];
  }

  async poll(): Promise<StoredEventView[]> {
    if (!this.started) throw new Error('start() first');
    const fresh: StoredEventView[] = [];
    let cursor: string | undefined;
    this.skipped = false;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const result = await this.platform.listEvents({ ...this.filter, limit: 100, cursor });
      const stop = result.items.findIndex((event) => event.id === this.newestId);
      fresh.push(...(stop >= 0 ? result.items.slice(0, stop) : result.items));
      if (stop >= 0 || !result.next_cursor || this.newestId === undefined) break;
      cursor = result.next_cursor;
      if (page === MAX_PAGES_PER_POLL - 1) this.skipped = true;
    }
    if (fresh.length) this.newestId = fresh[0]!.id;
    return fresh.reverse();
  }
}
