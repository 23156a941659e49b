import { Injectable } from '@nestjs/common';

/**
 * In-process signal that an agent was registered, changed or decommissioned
 * here, so the bridge reacts at once instead of at its next poll (other
 * replicas catch up through that poll).
 */
@Injectable()
export class AgentChanges {
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(): void {
    for (const listener of this.listeners) listener();
  }
}
