import { rolesAllow, type Permission } from '@baton/contracts';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** What authenticated a caller: its kind and the id of the key, client or session. */
export interface CallerCredential {
  kind: 'api-key' | 'jwt' | 'oidc' | 'session';
  id: string;
}

/** Who is calling, established by the auth guard; every command carries it. */
export interface Caller {
  principal: string;
  workspaceId: string;
  roles: string[];
  correlationId: string;
  credential?: CallerCredential;
  /** When set, the credential may use only these permissions of its roles (a scoped key). */
  scopes?: string[];
}

export type CallerRequest = Request & { caller?: Caller };

/** A credential the security-manager verified (an API key's principal, a console session). */
interface VerifiedPrincipal {
  principal: string;
  workspace_id: string;
  roles: string[];
  scopes?: string[] | null;
}

/** The caller a verified credential stands for, in this request. */
export function callerOf(
  verified: VerifiedPrincipal,
  correlationId: string,
  credential: CallerCredential,
): Caller {
  return {
    principal: verified.principal,
    workspaceId: verified.workspace_id,
    roles: verified.roles,
    correlationId,
    credential,
    ...(verified.scopes ? { scopes: verified.scopes } : {}),
  };
}

export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => {
    const request = context.switchToHttp().getRequest<CallerRequest>();
    if (!request.caller) throw new Error('CurrentCaller used on a route that needs no credential');
    return request.caller;
  },
);

/**
 * Whether the caller's roles grant the permission and, for a scoped credential,
 * whether its scopes include it: the route check of the auth guard, for code
 * that decides per item (the MCP tools a caller is offered).
 */
export function callerMay(caller: Caller, permission: Permission): boolean {
  return (
    rolesAllow(caller.roles, permission) &&
    (caller.scopes === undefined || caller.scopes.includes(permission))
  );
}
