import type { AgentView, ApiKeyView } from '../../../../libs/sdk/src/client';
import type { BatonCommand } from '../context';
import { CliError, ExitCodes } from '../exit-codes';
import type { Column } from '../output/render';
import { toInt } from './runs';

const AGENT_COLUMNS: Column<AgentView>[] = [
  { header: 'name', value: (a) => a.name },
  { header: 'type', value: (a) => a.type },
  { header: 'runtime', value: (a) => a.runtime },
  { header: 'status', value: (a) => a.status },
  { header: 'instances', value: (a) => `${a.min_instances}-${a.max_instances}` },
  { header: 'version', value: (a) => a.version },
];

const KEY_COLUMNS: Column<ApiKeyView>[] = [
  { header: 'id', value: (k) => k.id },
  { header: 'name', value: (k) => k.name },
  { header: 'prefix', value: (k) => k.prefix },
  { header: 'role', value: (k) => k.role },
  { header: 'status', value: (k) => k.status },
  { header: 'expires', value: (k) => k.expires_at },
  { header: 'last used', value: (k) => k.last_used_at },
];

export function registerAgents(program: BatonCommand): void {
  const agents = program.command('agents').description('Registered agents');
  agents
    .command('ls')
    .description('Agents of the workspace')
    .option('--capability <capability>', 'only agents with this capability')
    .option('--type <type>', 'only agents of this type')
    .option('--cursor <cursor>', 'the next page')
    .act(async (context, options: { capability?: string; type?: string; cursor?: string }) => {
      context.printPage(await context.platform().listAgents(options), AGENT_COLUMNS);
    });
  agents
    .command('get')
    .description('An agent, with its live instances')
    .argument('<name>', 'the agent name')
    .act(async (context, name: string) => {
      const platform = context.platform();
      const [agent, instances] = await Promise.all([
        platform.getAgent(name),
        platform.getAgentInstances(name),
      ]);
      context.printDetail({ ...agent, instances: instances.items }, agent, instances.items, [
        { header: 'instance', value: (i) => i.instance_id },
        { header: 'health', value: (i) => i.health },
        { header: 'in flight', value: (i) => i.in_flight },
        { header: 'last heartbeat', value: (i) => i.last_heartbeat },
      ]);
    });
  agents
    .command('scale')
    .description('Change how many instances an agent may run: `scale NAME 3` pins it to 3')
    .argument('<name>', 'the agent name')
    .argument('[instances]', 'min and max instances at once', toInt)
    .option('--min <n>', 'min_instances', toInt)
    .option('--max <n>', 'max_instances', toInt)
    .act(
      async (
        context,
        name: string,
        instances: number | undefined,
        options: { min?: number; max?: number },
      ) => {
        const min = options.min ?? instances;
        const max = options.max ?? instances;
        if (min === undefined && max === undefined) {
          throw new CliError('instances: give a count, --min or --max', ExitCodes.usage);
        }
        const agent = await context.platform().updateAgent(name, {
          ...(min !== undefined ? { min_instances: min } : {}),
          ...(max !== undefined ? { max_instances: max } : {}),
        });
        context.printItem(agent);
      },
    );

  const keys = program.command('keys').description('API keys of the workspace');
  keys
    .command('create')
    .description('Issue a key; it is printed this once (to stdout), never again')
    .requiredOption('--name <name>', 'what the key is for: ci, alice-laptop')
    .requiredOption('--role <role>', 'its role (`GET /v1/roles` lists them)')
    .option('--expires-at <time>', 'when it stops working (RFC 3339)')
    .option('--scope <permission...>', "narrow it to some of its role's permissions")
    .act(
      async (
        context,
        options: { name: string; role: string; expiresAt?: string; scope?: string[] },
      ) => {
        const issued = await context.platform().createApiKey({
          name: options.name,
          role: options.role,
          ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
          ...(options.scope ? { scopes: options.scope } : {}),
        });
        if (context.format !== 'table') return context.printItem(issued);
        context.note(
          `key ${issued.id} (${issued.name}, role ${issued.role}); store it now, it is not shown again:`,
        );
        context.print(issued.key);
      },
    );
  keys
    .command('ls')
    .description('Keys (their prefixes, never the keys)')
    .option('--cursor <cursor>', 'the next page')
    .act(async (context, options: { cursor?: string }) => {
      context.printPage(await context.platform().listApiKeys(options), KEY_COLUMNS);
    });
  keys
    .command('revoke')
    .description('Revoke a key: every gateway refuses it from now on')
    .argument('<id>', 'the key id (from `baton keys ls`)')
    .act(async (context, id: string) => {
      await context.platform().revokeApiKey(id);
      context.note(`revoked ${id}`);
    });
}
