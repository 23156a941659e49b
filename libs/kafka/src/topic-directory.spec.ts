import { MissingTopicError, TopicDirectory } from './topic-directory';

describe('TopicDirectory', () => {
  function directory(topics: string[], recheckMs = 1_000) {
    const cluster = { topics, asked: 0, now: 0 };
    const dir = new TopicDirectory(
      async () => {
        cluster.asked++;
        return [...cluster.topics];
      },
      recheckMs,
      () => cluster.now,
    );
    return { dir, cluster };
  }

  it('answers known topics without asking the cluster', async () => {
    const { dir, cluster } = directory(['a', 'b']);
    expect(await dir.missing(['a'])).toEqual([]);
    expect(cluster.asked).toBe(1);
    expect(dir.allKnown(['a', 'b'])).toBe(true);
    expect(await dir.missing(['a', 'b'])).toEqual([]);
    expect(cluster.asked).toBe(1);
  });

  it('names the missing topics, and asks about them again at most once per recheck period', async () => {
    const { dir, cluster } = directory(['a']);
    expect(await dir.missing(['a', 'gone'])).toEqual(['gone']);
    expect(await dir.missing(['gone'])).toEqual(['gone']);
    expect(cluster.asked).toBe(1);
    cluster.topics.push('gone');
    cluster.now += 1_000;
    expect(await dir.missing(['gone'])).toEqual([]);
    expect(cluster.asked).toBe(2);
  });

  it('asks at once about a topic it has never asked about, however recent the last look', async () => {
    const { dir, cluster } = directory(['a']);
    expect(await dir.missing(['x'])).toEqual(['x']);
    cluster.topics.push('fresh'); // created by another client a moment later
    expect(await dir.missing(['fresh'])).toEqual([]);
    expect(cluster.asked).toBe(2);
  });

  it('shares one request among concurrent callers', async () => {
    const { dir, cluster } = directory(['a']);
    await Promise.all([dir.missing(['x']), dir.missing(['y']), dir.missing(['a'])]);
    expect(cluster.asked).toBe(1);
  });

  it('asks again after a send said a topic is gone', async () => {
    const { dir, cluster } = directory(['a']);
    await dir.missing(['a']);
    cluster.topics = [];
    dir.forget(['a']);
    expect(dir.allKnown(['a'])).toBe(false);
    expect(await dir.missing(['a'])).toEqual(['a']);
    expect(cluster.asked).toBe(2);
  });

  it('names the topics in its error', () => {
    expect(new MissingTopicError(['t1']).message).toBe('topic t1 does not exist');
    expect(new MissingTopicError(['t1', 't2']).message).toBe('topics t1, t2 do not exist');
  });
});
