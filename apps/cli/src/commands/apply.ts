import { BatonNotFoundError, type OrchestratePlatform } from '../../../../libs/sdk/src/client';
import { describePlan, planAgent, planConnection, planWorkflow, type Plan } from '../apply/plan';
import { collectFiles, loadManifests, type Manifest } from '../apply/manifests';
import type { BatonCommand } from '../context';
import { CliError } from '../exit-codes';
import { renderData } from '../output/render';

interface Outcome {
  kind: string;
  name: string;
  action: Plan['action'];
  origin: string;
  version?: number;
  changes?: Plan['changes'];
}

export function registerApply(program: BatonCommand): void {
  program
    .command('apply')
    .description(
      'Create or update workflows, agents and connections from files: prints what changes, and changes nothing that is already as written',
    )
    .requiredOption('-f, --file <paths...>', 'files or folders of YAML/JSON documents')
    .option('--dry-run', 'print what would change, change nothing')
    .act(async (context, options: { file: string[]; dryRun?: boolean }) => {
      const manifests = loadManifests(collectFiles(options.file));
      if (manifests.length === 0) throw new CliError(`no documents in ${options.file.join(' ')}`);
      const platform = context.platform();
      const outcomes: Outcome[] = [];
      for (const manifest of manifests) {
        const plan = await planFor(platform, manifest);
        if (context.format === 'table') describePlan(plan).forEach((line) => context.print(line));
        const version = options.dryRun ? undefined : await applyPlan(platform, manifest, plan);
        outcomes.push({
          kind: plan.kind,
          name: plan.name,
          action: plan.action,
          origin: manifest.origin,
          ...(version !== undefined ? { version } : {}),
          ...(plan.changes.length ? { changes: plan.changes } : {}),
        });
      }
      if (context.format !== 'table') {
        context.print(
          renderData({ dry_run: Boolean(options.dryRun), results: outcomes }, context.format),
        );
      } else {
        const count = (action: string) => outcomes.filter((o) => o.action === action).length;
        context.note(
          `${options.dryRun ? 'would apply' : 'applied'}: ${count('create')} created, ${count('update')} updated, ${count('unchanged')} unchanged`,
        );
      }
    });
}

async function planFor(platform: OrchestratePlatform, manifest: Manifest): Promise<Plan> {
  switch (manifest.kind) {
    case 'workflow': {
      const active = await orUndefined(platform.getWorkflow(manifest.name));
      const source = active
        ? (await platform.getWorkflowVersion(manifest.name, active.version)).source
        : undefined;
      return planWorkflow(manifest.name, manifest.text, source);
    }
    case 'agent': {
      const agent = await orUndefined(platform.getAgent(manifest.name));
      if (!agent || agent.status === 'decommissioned')
        return planAgent(manifest.name, manifest.body, undefined);
      const latest = (await platform.listAgentVersions(manifest.name)).items.find(
        (version) => version.version === agent.version,
      );
      return planAgent(manifest.name, manifest.body, latest?.spec ?? { ...agent });
    }
    case 'connection': {
      const connection = await orUndefined(platform.getConnection(manifest.name));
      return planConnection(manifest.name, manifest.body, connection);
    }
  }
}

/** Sends what the plan says; the version a workflow has afterwards. */
async function applyPlan(
  platform: OrchestratePlatform,
  manifest: Manifest,
  plan: Plan,
): Promise<number | undefined> {
  const body = manifest.body;
  switch (manifest.kind) {
    case 'workflow':
      // The server compares too, under its lock: a document identical to the active one
      // (changed meanwhile by someone else, say) answers 200 and makes no version.
      return plan.action === 'unchanged'
        ? undefined
        : (await platform.createWorkflow(manifest.text)).version;
    case 'agent':
      if (plan.action === 'create') {
        return (await platform.registerAgent(body as never)).version;
      }
      if (plan.action === 'update') {
        const changes = Object.fromEntries(plan.changes.map((c) => [c.field, c.to]));
        return (await platform.updateAgent(manifest.name, changes)).version;
      }
      return undefined;
    case 'connection':
      if (plan.action === 'create') {
        await platform.createConnection(body as never);
      } else if (plan.action === 'update') {
        if (plan.changes.some((change) => change.field === 'connector')) {
          throw new CliError(
            `${manifest.origin}: connection/${manifest.name}: connector cannot change (delete the connection first)`,
          );
        }
        await platform.updateConnection(manifest.name, {
          config: body.config as Record<string, unknown>,
        });
      }
      return undefined;
  }
}

async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof BatonNotFoundError) return undefined;
    throw error;
  }
}
