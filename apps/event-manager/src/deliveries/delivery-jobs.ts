import { isObject } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { RoutesRepository } from '../routing/routes.repository';
import type { Destination } from '../routing/destination';
import type { RetrySettings } from '../routing/delivery-lanes';
import { deliveredCloudEvent, type DeliveryFacts } from '../routing/delivery-payload';
import { compileJsonata, ExpressionFailure } from '../routing/jsonata-expression';
import { routeOwner, SigningSecrets, subscriptionOwner } from '../routing/signing-secrets';
import { SubscriptionsRepository } from '../routing/subscriptions.repository';
import { TransformsRepository } from '../routing/transforms.repository';
import type { ClaimedDelivery } from '../routing/deliveries.repository';

/** Route destinations have no retry settings of their own. */
export const ROUTE_RETRY: RetrySettings = {
  maxAttempts: 8,
  initialDelayMs: 1_000,
  maxDelayMs: 300_000,
};

/** A claimed delivery, resolved: where it goes, what it carries, how it is retried. */
export interface DeliveryJob {
  delivery: ClaimedDelivery;
  destination: Destination;
  secret: string | null;
  retry: RetrySettings;
  facts: DeliveryFacts;
}

/** A delivery that cannot be performed at all; retrying would not help. */
export interface DeliveryRejection {
  delivery: ClaimedDelivery;
  retry: RetrySettings | null;
  error: string;
}

/**
 * Resolves claimed deliveries to jobs: loads their subscriptions, routes and
 * transforms, and applies each transform. A transform that fails on an event
 * rejects that delivery alone, with the reason; the others go on.
 */
@Injectable()
export class DeliveryJobs {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly routes: RoutesRepository,
    private readonly transforms: TransformsRepository,
    private readonly secrets: SigningSecrets,
  ) {}

  async resolve(
    claimed: ClaimedDelivery[],
  ): Promise<{ jobs: DeliveryJob[]; rejected: DeliveryRejection[] }> {
    const subs = new Map(
      (await this.subscriptions.byIds(unique(claimed.map((d) => d.subscriptionId)))).map((s) => [
        s.id,
        s,
      ]),
    );
    const routes = new Map(
      (await this.routes.byIds(unique(claimed.map((d) => d.routeId)))).map((r) => [r.id, r]),
    );
    const targets = claimed.map((delivery) => {
      if (delivery.subscriptionId) {
        const sub = subs.get(delivery.subscriptionId);
        if (!sub) return undefined;
        return {
          destination: sub.destination,
          secret: sub.secret && this.secrets.open(sub.secret, subscriptionOwner(sub.id)),
          retry: {
            maxAttempts: sub.maxAttempts,
            initialDelayMs: sub.initialDelayMs,
            maxDelayMs: sub.maxDelayMs,
          },
        };
      }
      const route = delivery.routeId ? routes.get(delivery.routeId) : undefined;
      const destination = route?.destinations[delivery.destination ?? -1];
      return route && destination
        ? {
            destination,
            secret:
              route.secret &&
              this.secrets.open(route.secret, routeOwner(route.workspaceId, route.name)),
            retry: ROUTE_RETRY,
          }
        : undefined;
    });
    const expressions = await this.loadTransforms(
      claimed,
      targets.map((t) => t?.destination),
    );

    const jobs: DeliveryJob[] = [];
    const rejected: DeliveryRejection[] = [];
    for (const [index, delivery] of claimed.entries()) {
      const target = targets[index];
      if (!target) {
        rejected.push({
          delivery,
          retry: null,
          error: 'its subscription or route no longer exists',
        });
        continue;
      }
      if (!delivery.envelope) {
        rejected.push({
          delivery,
          retry: target.retry,
          error: 'the event is no longer stored (retention)',
        });
        continue;
      }
      const cloudEvent = deliveredCloudEvent(delivery.envelope, delivery.replayId);
      const transformName = target.destination.transform;
      let payload: unknown = cloudEvent;
      if (transformName) {
        const expression = expressions.get(`${delivery.workspaceId}\n${transformName}`);
        if (expression === undefined) {
          rejected.push({
            delivery,
            retry: target.retry,
            error: `transform '${transformName}' does not exist`,
          });
          continue;
        }
        try {
          payload = await compileJsonata(expression).evaluate(cloudEvent);
        } catch (error) {
          const reason = error instanceof ExpressionFailure ? error.message : String(error);
          rejected.push({
            delivery,
            retry: target.retry,
            error: `transform '${transformName}' failed: ${reason}`,
          });
          continue;
        }
        if (payload === undefined) {
          rejected.push({
            delivery,
            retry: target.retry,
            error: `transform '${transformName}' produced no value`,
          });
          continue;
        }
      }
      if (target.destination.kind === 'workflow' && !isObject(payload)) {
        rejected.push({
          delivery,
          retry: target.retry,
          error: `a workflow's input must be a JSON object; transform '${transformName}' produced ${describe(payload)}`,
        });
        continue;
      }
      jobs.push({
        delivery,
        destination: target.destination,
        secret: target.secret,
        retry: target.retry,
        facts: {
          deliveryId: delivery.id,
          cloudEvent,
          payload,
          transformed: transformName !== null,
          replayId: delivery.replayId,
          lane: delivery.lane,
        },
      });
    }
    return { jobs, rejected };
  }

  private async loadTransforms(
    claimed: ClaimedDelivery[],
    destinations: (Destination | undefined)[],
  ): Promise<Map<string, string>> {
    const byWorkspace = new Map<string, Set<string>>();
    claimed.forEach((delivery, index) => {
      const name = destinations[index]?.transform;
      if (!name) return;
      const names = byWorkspace.get(delivery.workspaceId) ?? new Set<string>();
      names.add(name);
      byWorkspace.set(delivery.workspaceId, names);
    });
    const expressions = new Map<string, string>();
    for (const [workspaceId, names] of byWorkspace) {
      for (const [name, expression] of await this.transforms.expressions(workspaceId, [...names])) {
        expressions.set(`${workspaceId}\n${name}`, expression);
      }
    }
    return expressions;
  }
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
