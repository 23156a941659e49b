import { AUTHENTICATED, DomainError, ErrorCodes, PUBLIC, rolesAllow } from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { AUTHENTICATORS, type Authenticator } from './authenticator';
import type { Caller, CallerRequest } from './caller';
import { FailedAuthLimiter, REFUSAL_RECORDED, type RefusalReason } from './failed-auth-limiter';
import { RouteAccessTable } from './route-access';

/**
 * The gateway's one door, applied to every route: establishes the caller with
 * the first authenticator that recognises its credential, then checks the
 * route's permission from the table in libs/contracts against its roles.
 * Refusals are counted, limited per client address and audited in aggregate
 * (FailedAuthLimiter).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly routes: RouteAccessTable,
    @Inject(AUTHENTICATORS) private readonly authenticators: Authenticator[],
    private readonly failedAuth: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.routes.accessOf(context.getHandler() as never);
    // Unreachable for a started gateway (the table is checked at start); refuse rather than allow.
    if (access === undefined)
      throw new DomainError(ErrorCodes.forbidden, 'route has no permission');
    if (access === PUBLIC) return true;
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const ip = request.ip ?? 'unknown';
    // Before the credential is even looked at: a guesser learns nothing while limited.
    this.failedAuth.check(ip, (name, value) => response.setHeader(name, value), request.path);
    const refuse = (reason: RefusalReason, error: DomainError, caller?: Caller): DomainError => {
      this.failedAuth.record({
        ip,
        reason,
        status: error.status,
        workspaceId: caller?.workspaceId,
        principal: caller?.principal,
        path: request.path,
      });
      (request as unknown as Record<symbol, boolean>)[REFUSAL_RECORDED] = true;
      return error;
    };
    const caller = await this.authenticate(request).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === ErrorCodes.unauthorized)
        throw refuse('bad_credential', error);
      throw error;
    });
    if (!caller) {
      throw refuse(
        'no_credential',
        new DomainError(
          ErrorCodes.unauthorized,
          'send an API key or an access token as Authorization: Bearer <credential>',
        ),
      );
    }
    const asked = request.header('x-workspace-id');
    if (asked && asked !== caller.workspaceId) {
      throw refuse(
        'wrong_workspace',
        new DomainError(
          ErrorCodes.forbidden,
          `this credential does not belong to workspace '${asked}'`,
        ),
        caller,
      );
    }
    request.caller = caller;
    const logContext = currentContext();
    logContext.workspaceId = caller.workspaceId;
    logContext.principal = caller.principal;
    if (access !== AUTHENTICATED && !rolesAllow(caller.roles, access)) {
      throw refuse(
        'forbidden',
        new DomainError(
          ErrorCodes.forbidden,
          `role ${caller.roles.join(', ') || '(none)'} lacks the permission '${access}'`,
        ),
        caller,
      );
    }
    if (access !== AUTHENTICATED && caller.scopes && !caller.scopes.includes(access)) {
      throw new DomainError(
        ErrorCodes.forbidden,
        `this credential is scoped to ${caller.scopes.join(', ') || '(nothing)'}, not '${access}'`,
      );
    }
    return true;
  }

  private async authenticate(request: CallerRequest): Promise<Caller | undefined> {
    for (const authenticator of this.authenticators) {
      const caller = await authenticator.authenticate(request);
      if (caller) return caller;
    }
    return undefined;
  }
}
