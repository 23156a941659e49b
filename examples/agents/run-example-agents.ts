import { AgentWorker } from '@baton/sdk';
import { exampleAgents } from './customer-service.agents';

/**
 * Serves every example agent from this one process with the SDK's AgentWorker.
 * Started by `npm run up`; run it alone with `node dist/examples/agents/run-example-agents.js`.
 */
async function main(): Promise<void> {
  const workers = exampleAgents.map(
    (agent) => new AgentWorker({ agent: agent.registration.name, handler: agent.handler }),
  );
  await Promise.all(workers.map((worker) => worker.start()));
  process.stdout.write(
    `example agents serving: ${exampleAgents.map((a) => a.registration.name).join(', ')}\n`,
  );
  const stop = async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: Error) => {
  process.stderr.write(`example agents failed: ${error.message}\n`);
  process.exit(1);
});
