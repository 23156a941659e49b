import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is calling, established by the API key guard; every command carries it. */
export interface Caller {
  principal: string;
  workspaceId: string;
  roles: string[];
  correlationId: string;
}

export type CallerRequest = Request & { caller?: Caller };

export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => {
    const request = context.switchToHttp().getRequest<CallerRequest>();
    if (!request.caller) throw new Error('CurrentCaller used on a route without the API key guard');
    return request.caller;
  },
);
