/** An RFC 9457 problem document as the gateway answers every error. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

/** A failed API call, carrying the gateway's problem document for the page to show. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
  }
}

/** Anything thrown into a problem to show: API errors as they came, others as status 0. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  const detail = error instanceof Error ? error.message : String(error);
  return { status: 0, title: 'The gateway could not be reached', detail };
}
