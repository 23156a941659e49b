import * as fs from 'node:fs';
import { platformState } from '../platform';

/** Where each service's log ended when the fuzzing started, so only its own lines are read. */
export function logMarks(): Map<string, number> {
  return new Map(platformState().services.map((s) => [s.logFile, fileSize(s.logFile)]));
}

/**
 * Lines the services logged since `marks` that a client never sees: pino
 * error/fatal lines (level ≥ 50), and anything naming an unhandled rejection
 * or an uncaught exception. Grouped by message so a thousand alike show once.
 */
export function errorLinesSince(
  marks: Map<string, number>,
): { file: string; count: number; sample: string }[] {
  const groups = new Map<string, { file: string; count: number; sample: string }>();
  for (const [file, start] of marks) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file).subarray(start).toString('utf8');
    for (const line of text.split('\n')) {
      if (!isError(line)) continue;
      const key = `${file}:${messageOf(line)}`;
      const group = groups.get(key) ?? { file, count: 0, sample: line.slice(0, 1500) };
      group.count++;
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

function isError(line: string): boolean {
  if (/unhandled|uncaught/i.test(line)) return true;
  // pino writes the level as a label in Baton's services, as a number by default.
  return /"level":("error"|"fatal"|[56]0[,}])/.test(line);
}

function messageOf(line: string): string {
  return /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 120);
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
