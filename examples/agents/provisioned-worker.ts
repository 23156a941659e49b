import { AgentWorker } from '@baton/sdk';

/**
 * A worker process as the `process` provisioner starts it: agent-manager sets
 * BATON_AGENT, BATON_WORKSPACE, BATON_INSTANCE_ID and KAFKA_BROKERS (and the
 * provisioner's env may set BATON_HEARTBEAT_MS and BATON_TASK_LEASE_MS). It echoes
 * its input, after `sleep_ms` if the input asks for it (to make a backlog).
 */
async function main(): Promise<void> {
  const agent = process.env.BATON_AGENT;
  if (!agent) throw new Error('BATON_AGENT is not set');
  const instanceId = process.env.BATON_INSTANCE_ID;
  const worker = new AgentWorker({
    agent,
    workspaceId: process.env.BATON_WORKSPACE,
    instanceId,
    heartbeatIntervalMs: Number(process.env.BATON_HEARTBEAT_MS ?? 5_000),
    taskLeaseMs: process.env.BATON_TASK_LEASE_MS
      ? Number(process.env.BATON_TASK_LEASE_MS)
      : undefined,
    handler: async (input) => {
      const sleep = Number((input as { sleep_ms?: number } | null)?.sleep_ms ?? 0);
      if (sleep > 0) await new Promise((resolve) => setTimeout(resolve, sleep));
      return { echo: input, instance: instanceId };
    },
  });
  await worker.start();
  process.stdout.write(`serving ${agent} as ${worker.instanceId}\n`);
  const stop = async () => {
    await worker.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: Error) => {
  process.stderr.write(`provisioned worker failed: ${error.message}\n`);
  process.exit(1);
});
