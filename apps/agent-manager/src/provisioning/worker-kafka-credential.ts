import { WORKSPACE_ID_PATTERN } from '@baton/contracts';
import { workerUser } from '@baton/kafka';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How agent-manager itself reaches Kafka, which says what its provisioned
 * workers need: on a broker with SASL and ACLs (ADR 0018) each workspace's
 * workers connect as that workspace's principal, User:baton-worker-<workspace>,
 * never as agent-manager and never without a credential.
 */
export interface WorkerKafkaSettings {
  /** agent-manager's own KAFKA_SASL_MECHANISM: set means the broker authenticates clients. */
  saslMechanism?: string;
  /** AGENT_WORKER_KAFKA_CREDENTIALS_DIR: `<workspace>.password` files, as `npm run kafka:acls -- --worker` writes them. */
  credentialsDir?: string;
  /** agent-manager's KAFKA_TLS, KAFKA_TLS_CA_FILE, KAFKA_TLS_REJECT_UNAUTHORIZED: the broker's TLS, not a client identity. */
  tls?: string;
  tlsCaFile?: string;
  tlsRejectUnauthorized?: string;
}

export type WorkerKafkaEnv =
  { ok: true; env: Record<string, string> } | { ok: false; reason: string };

/** SCRAM-SHA-512: the mechanism of the worker users `npm run kafka:acls -- --worker` creates. */
export const WORKER_SASL_MECHANISM = 'scram-sha-512';

/**
 * The variables whose value agent-manager decides for a provisioned worker's
 * Kafka connection; an agent's own `provisioner.env` cannot override them (a
 * tenant must not pick another workspace's password file, or none).
 */
export const WORKER_KAFKA_ENV = /^KAFKA_(SASL|TLS)(_|$)/;

/**
 * The Kafka settings of a `process`-provisioned worker of `workspaceId`:
 * nothing on a PLAINTEXT broker; on a SASL broker its workspace's credential
 * (username and password file, never the password itself), or a reason not
 * to start it at all when that credential has not been issued.
 */
export function processWorkerKafkaEnv(
  settings: WorkerKafkaSettings,
  workspaceId: string,
  exists: (path: string) => boolean = existsSync,
): WorkerKafkaEnv {
  const env: Record<string, string> = {};
  if (settings.tls === 'true') {
    env.KAFKA_TLS = 'true';
    if (settings.tlsCaFile) env.KAFKA_TLS_CA_FILE = settings.tlsCaFile;
    if (settings.tlsRejectUnauthorized)
      env.KAFKA_TLS_REJECT_UNAUTHORIZED = settings.tlsRejectUnauthorized;
  }
  if (!settings.saslMechanism) return { ok: true, env };
  if (!WORKSPACE_ID_PATTERN.test(workspaceId)) {
    return { ok: false, reason: `'${workspaceId}' is not a workspace slug` };
  }
  if (!settings.credentialsDir) {
    return {
      ok: false,
      reason:
        'the broker needs SASL and AGENT_WORKER_KAFKA_CREDENTIALS_DIR is not set, so there is no worker credential to give',
    };
  }
  const passwordFile = join(settings.credentialsDir, `${workspaceId}.password`);
  if (!exists(passwordFile)) {
    return {
      ok: false,
      reason: `no Kafka credential for workspace '${workspaceId}' (${passwordFile}); issue it with npm run kafka:acls -- --worker ${workspaceId}`,
    };
  }
  return {
    ok: true,
    env: {
      ...env,
      KAFKA_SASL_MECHANISM: WORKER_SASL_MECHANISM,
      KAFKA_SASL_USERNAME: workerUser(workspaceId),
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    },
  };
}

/**
 * The Secret, in the agent's namespace, holding a workspace's worker password
 * under the key `password`. The operator creates it from what `npm run
 * kafka:acls -- --worker <workspace>` issued (README, "Kafka security").
 */
export function workerSecretName(workspaceId: string): string {
  return `${workerUser(workspaceId)}-kafka`;
}

/**
 * The Kafka credential entries of a `kubernetes`-provisioned worker's pod: on
 * a SASL broker its workspace's username and the password from the Secret
 * workerSecretName(); nothing on a PLAINTEXT one.
 */
export function podWorkerKafkaEnv(
  settings: Pick<WorkerKafkaSettings, 'saslMechanism'>,
  workspaceId: string,
): Record<string, unknown>[] {
  if (!settings.saslMechanism) return [];
  return [
    { name: 'KAFKA_SASL_MECHANISM', value: WORKER_SASL_MECHANISM },
    { name: 'KAFKA_SASL_USERNAME', value: workerUser(workspaceId) },
    {
      name: 'KAFKA_SASL_PASSWORD',
      valueFrom: { secretKeyRef: { name: workerSecretName(workspaceId), key: 'password' } },
    },
  ];
}
