import { randomBytes } from 'node:crypto';
import { Topics } from '@baton/contracts';
import type { Kafka } from 'kafkajs';
import { workerUser } from './acl-rule';
import { workerAcls } from './acl-table';
import { applyAcls, waitForAcls } from './apply-acls';
import {
  alterUserScramCredentials,
  ScramAlterationError,
  scramUpsertion,
} from './scram-credentials';

/** A workspace's agent-worker credential as issued: the password exists only here and in the caller's hands. */
export interface IssuedWorkerCredential {
  username: string;
  password: string;
  mechanism: 'scram-sha-512';
  /** The topic its producers write events to (bound to the workspace by the ACLs). */
  ingressTopic: string;
  /** ACL bindings the principal holds. */
  aclBindings: number;
}

/** Partitions of a workspace ingress topic created here (as `npm run kafka:acls -- --worker`). */
const INGRESS_PARTITIONS = 3;

/**
 * Creates or rotates the SCRAM user `baton-worker-<workspace>` with a fresh
 * random password, its ingress topic and its ACLs (workerAcls: its own task
 * topics and groups, results, heartbeats, the agents' dead-letter topic, its
 * ingress), and returns once the broker enforces them. `kafka` must be
 * authenticated as a principal allowed to alter the cluster (ACLs and SCRAM
 * users). Rotating replaces the password: new logins need the new one;
 * connections already open keep going until the broker re-authenticates them
 * (its `connections.max.reauth.ms`).
 */
export async function issueWorkerCredential(
  kafka: Kafka,
  workspaceId: string,
  aclWaitMs = 10_000,
): Promise<IssuedWorkerCredential> {
  const username = workerUser(workspaceId);
  const password = randomBytes(24).toString('base64url');
  const ingressTopic = Topics.workspaceIngress(workspaceId);
  const rules = workerAcls(workspaceId);
  const admin = kafka.admin();
  await admin.connect();
  let aclBindings: number;
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic: ingressTopic, numPartitions: INGRESS_PARTITIONS }],
    });
    aclBindings = await applyAcls(admin, rules);
    await waitForAcls(admin, rules, aclWaitMs);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  await alterUserScramCredentials(kafka, {
    upsertions: [scramUpsertion(username, password, 'scram-sha-512')],
  });
  return { username, password, mechanism: 'scram-sha-512', ingressTopic, aclBindings };
}

/**
 * Deletes the workspace's worker SCRAM user: no new login succeeds (its ACLs
 * stay, naming a principal nobody can be). Deleting a user that does not
 * exist is not an error. Returns whether there was one.
 */
export async function revokeWorkerCredential(kafka: Kafka, workspaceId: string): Promise<boolean> {
  try {
    await alterUserScramCredentials(kafka, {
      deletions: [{ user: workerUser(workspaceId), mechanism: 'scram-sha-512' }],
    });
    return true;
  } catch (error) {
    // RESOURCE_NOT_FOUND: no such credential (never issued, or revoked already).
    if (error instanceof ScramAlterationError && error.results.every((r) => r.errorCode === 91)) {
      return false;
    }
    throw error;
  }
}
