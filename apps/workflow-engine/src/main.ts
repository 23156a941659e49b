import './tracing';
import { DatabaseEnv, runService } from '@baton/service-kit';
import { WorkflowEngineModule } from './workflow-engine.module';

runService({
  service: 'workflow-engine',
  defaultPort: 3003,
  env: DatabaseEnv,
  module: (context) => WorkflowEngineModule.forService(context),
});
