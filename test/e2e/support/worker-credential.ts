import { workerEnv } from './platform';

/**
 * Runs before each spec file (jest-e2e.config.js, setupFiles). The tests' in-process AgentWorkers
 * take their Kafka security from KAFKA_SASL_* in the environment, as a worker deployed by a
 * tenant does: on a SASL broker these are the default workspace's worker credential (its own
 * principal, ADR 0018), so every test worker runs under exactly the ACLs a real one gets.
 */
Object.assign(process.env, workerEnv('default'));
