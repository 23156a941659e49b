import { AUTHENTICATED, DomainError, ErrorCodes, PUBLIC, rolesAllow } from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AUTHENTICATORS, type Authenticator } from './authenticator';
import type { Caller, CallerRequest } from './caller';
import { RouteAccessTable } from './route-access';

/**
 * The gateway's one door, applied to every route: establishes the caller with
 * the first authenticator that recognises its credential, then checks the
 * route's permission from the table in libs/contracts against its roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly routes: RouteAccessTable,
    @Inject(AUTHENTICATORS) private readonly authenticators: Authenticator[],
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.routes.accessOf(context.getHandler() as never);
    // Unreachable for a started gateway (the table is checked at start); refuse rather than allow.
    if (access === undefined)
      throw new DomainError(ErrorCodes.forbidden, 'route has no permission');
    if (access === PUBLIC) return true;
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const caller = await this.authenticate(request);
    const asked = request.header('x-workspace-id');
    if (asked && asked !== caller.workspaceId) {
      throw new DomainError(
        ErrorCodes.forbidden,
        `this credential does not belong to workspace '${asked}'`,
      );
    }
    request.caller = caller;
    const logContext = currentContext();
    logContext.workspaceId = caller.workspaceId;
    logContext.principal = caller.principal;
    if (access !== AUTHENTICATED && !rolesAllow(caller.roles, access)) {
      throw new DomainError(
        ErrorCodes.forbidden,
        `role ${caller.roles.join(', ') || '(none)'} lacks the permission '${access}'`,
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

  private async authenticate(request: CallerRequest): Promise<Caller> {
    for (const authenticator of this.authenticators) {
      const caller = await authenticator.authenticate(request);
      if (caller) return caller;
    }
    throw new DomainError(
      ErrorCodes.unauthorized,
      'send an API key or an access token as Authorization: Bearer <credential>',
    );
  }
}
