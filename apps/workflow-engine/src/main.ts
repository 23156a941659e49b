import './tracing';
import { runService } from '@baton/service-kit';
import { WorkflowEngineEnv } from './workflow-engine.env';
import { WorkflowEngineModule } from './workflow-engine.module';

runService({
  service: 'workflow-engine',
  defaultPort: 3003,
  env: WorkflowEngineEnv,
  module: (context) => WorkflowEngineModule.forService(context),
});
