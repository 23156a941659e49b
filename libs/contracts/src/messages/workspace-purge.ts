import type { Envelope } from '../envelope/envelope';
import { MessageTypes } from '../message-types';
import { validateInto } from '../validation';
import { WorkspaceLifecycleMessage } from './access.messages';

/**
 * The workspace a message of baton.security.events tells its readers to
 * purge, or undefined for any other message. The workspace is the message's
 * and its envelope's alike; a message where they differ is refused.
 */
export function purgedWorkspaceOf(envelope: Envelope): string | undefined {
  if (envelope.type !== MessageTypes.workspaceChanged) return undefined;
  const change = validateInto(WorkspaceLifecycleMessage, envelope.data, 'workspace change');
  if (change.status !== 'purged') return undefined;
  if (change.workspace_id !== envelope.workspaceid)
    throw new Error('workspace change: workspace_id differs from the envelope workspace');
  return change.workspace_id;
}
