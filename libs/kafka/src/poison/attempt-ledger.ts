/** Which partition of which consumer group a record is about. */
export interface AttemptKey {
  groupId: string;
  topic: string;
  partition: number;
}

/**
 * What a consumer wrote down just before it handled messages of a partition's
 * suspect window: if the process dies in their handling, the record is what
 * the next owner of the partition finds.
 */
export interface AttemptRecord {
  /** First and last offset of the messages in hand (one message once narrowed down). */
  fromOffset: string;
  toOffset: string;
  /** Times handling of these messages started; 0: nothing was in hand. */
  attempts: number;
}

/**
 * Durable storage of one AttemptRecord per group/topic/partition, written
 * before handling, so that it survives a crash of the process. libs/kafka has
 * no database: a service implements it (libs/database) and attaches it to its
 * BatonKafka with `configureConsumers`.
 */
export interface AttemptLedger {
  read(key: AttemptKey): Promise<AttemptRecord | undefined>;
  /** Must be durable when the promise resolves: a crash right after must find it. */
  write(key: AttemptKey, record: AttemptRecord): Promise<void>;
}
