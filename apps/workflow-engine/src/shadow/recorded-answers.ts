import { isDeepStrictEqual } from 'node:util';
import type { DryRunRequest, StepMock, StepRecord } from '../interpreter';

/** Where a shadow step's answer came from: the live run's record, or nowhere (a null stand-in). */
export type AnswerSource = 'recorded' | 'not_recorded';

/**
 * Answers a candidate version's tasks, waits and child runs from one live
 * run's step records, by the step's path: the recorded answer is reused only
 * when the candidate asks the same thing (same agent, action or workflow, same
 * resolved input); anything else gets a null stand-in and is marked
 * `not_recorded`. Nothing is ever sent anywhere: this is the whole of a shadow
 * run's outside world.
 */
export class RecordedAnswers {
  private readonly live: ReadonlyMap<string, StepRecord>;
  private readonly sources = new Map<string, AnswerSource>();

  constructor(records: readonly StepRecord[]) {
    this.live = new Map(records.map((record) => [record.key, record]));
  }

  /** The dry run's `answer` hook. */
  readonly answer = (request: DryRunRequest): StepMock => {
    const record = this.live.get(request.key);
    const recorded = record && asksTheSame(record, request) ? recordedAnswer(record) : undefined;
    // A retried step asks again: the latest attempt's answer is the one the step ends with.
    this.sources.set(request.key, recorded ? 'recorded' : 'not_recorded');
    return recorded ?? { output: null };
  };

  /** How each step the candidate ran was answered, by path. */
  sourceOf(path: string): AnswerSource | undefined {
    return this.sources.get(path);
  }

  count(source: AnswerSource): number {
    return [...this.sources.values()].filter((s) => s === source).length;
  }
}

function asksTheSame(record: StepRecord, request: DryRunRequest): boolean {
  switch (request.kind) {
    case 'dispatch': {
      const target = request.target === 'agent' ? record.agent : record.action;
      return target === request.name && sameJson(record.input, request.input);
    }
    case 'start-child':
      return record.workflow === request.workflow && sameJson(record.input, request.input);
    case 'await-event':
      // A wait has no input: the same step at the same path waited for the same event type.
      return record.name === request.step && record.kind === 'wait_for_event';
  }
}

/** The live step's final answer, if it had one: an output, or the error it failed with. */
function recordedAnswer(record: StepRecord): StepMock | undefined {
  if (record.status === 'completed') return { output: record.output ?? null };
  if (record.status === 'failed' && record.error) {
    return { error: { type: record.error.type, message: record.error.message } };
  }
  return undefined;
}

/** Compares as Postgres stored it: jsonb drops undefined fields and key order. */
function sameJson(recorded: unknown, asked: unknown): boolean {
  return isDeepStrictEqual(recorded ?? null, toJson(asked));
}

function toJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
