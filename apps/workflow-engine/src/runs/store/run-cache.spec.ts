import { RunCache } from './run-cache';
import type { RunEntity } from './run.entity';
import type { StepRecord } from '../../interpreter';

const run = (id: string, status: RunEntity['status'] = 'running') => ({ id, status }) as RunEntity;
const record = (taskId: string) => ({ taskId }) as StepRecord;

describe('RunCache', () => {
  it('finds a cached run by any of its tasks', () => {
    const cache = new RunCache();
    cache.put({ run: run('r1'), records: [record('t1'), record('t2')], xmin: '10' });
    expect(cache.runOfTask('t1')).toBe('r1');
    expect(cache.runOfTask('t2')).toBe('r1');
    expect(cache.runOfTask('t3')).toBeUndefined();
  });

  it('hands an entry out once: a second decision cannot start from the same objects', () => {
    const cache = new RunCache();
    cache.put({ run: run('r1'), records: [record('t1')], xmin: '10' });
    expect(cache.take('r1')?.xmin).toBe('10');
    expect(cache.take('r1')).toBeUndefined();
    expect(cache.runOfTask('t1')).toBeUndefined();
  });

  it('keeps the latest commit of a run, and its new tasks', () => {
    const cache = new RunCache();
    cache.put({ run: run('r1'), records: [record('t1')], xmin: '10' });
    cache.put({ run: run('r1'), records: [record('t1'), record('t2')], xmin: '11' });
    expect(cache.size).toBe(1);
    expect(cache.runOfTask('t2')).toBe('r1');
    expect(cache.take('r1')?.xmin).toBe('11');
  });

  it('forgets a run that is no longer running', () => {
    const cache = new RunCache();
    cache.put({ run: run('r1'), records: [record('t1')], xmin: '10' });
    cache.put({ run: run('r1', 'completed'), records: [record('t1')], xmin: '11' });
    expect(cache.size).toBe(0);
    expect(cache.runOfTask('t1')).toBeUndefined();
  });

  it('stays bounded, pushing out the run cached longest ago', () => {
    const cache = new RunCache();
    for (let i = 0; i <= 5_000; i++) {
      cache.put({ run: run(`r${i}`), records: [record(`t${i}`)], xmin: '1' });
    }
    expect(cache.size).toBe(5_000);
    expect(cache.runOfTask('t0')).toBeUndefined();
    expect(cache.runOfTask('t5000')).toBe('r5000');
  });
});
