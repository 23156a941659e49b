import type { ActorRef } from '@baton/contracts';
import type { Caller } from './caller';

/** The caller as a command carries it to a service: from the credential, never from a body. */
export function actorOf(caller: Caller): ActorRef {
  return {
    principal: caller.principal,
    roles: caller.roles,
    ...(caller.scopes ? { scopes: caller.scopes } : {}),
    ...(caller.credential ? { credential_id: caller.credential.id } : {}),
  };
}
