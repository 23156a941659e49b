import {
  CreateApiKeyRequest,
  MessageTypes,
  validateInto,
  type IssuedApiKeyView,
} from '@baton/contracts';
import type { Response } from 'express';
import { actorOf } from '../auth/actor';
import type { Caller } from '../auth/caller';
import type { TopicCommands } from '../platform/topic-commands';

/**
 * A key issued with one role, naming the admin who asked (audited): in the
 * caller's workspace, or with `targetWorkspace` (a platform admin's
 * POST /v1/workspaces/:id/api-keys) in that one.
 */
export function issueApiKey(
  security: TopicCommands,
  body: unknown,
  caller: Caller,
  response: Response,
  targetWorkspace?: string,
): Promise<IssuedApiKeyView> {
  const request = validateInto(CreateApiKeyRequest, body);
  const target = targetWorkspace === undefined ? {} : { target_workspace: targetWorkspace };
  return security.created(
    MessageTypes.apiKeyCreate,
    { ...request, ...target, actor: actorOf(caller) },
    caller,
    response,
    { secret: true },
  );
}
