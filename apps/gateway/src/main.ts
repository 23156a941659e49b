import './tracing';
import { runService } from '@baton/service-kit';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { answerClientErrorsAsProblems } from './client-errors';
import { GatewayEnv } from './gateway.env';
import { tlsOptionsOrExit } from './gateway-tls';
import { GatewayModule } from './gateway.module';
import { configureHttp } from './http-setup';

runService({
  service: 'gateway',
  defaultPort: 3000,
  env: GatewayEnv,
  module: ({ env, logger }) => GatewayModule.forEnv(env, logger),
  configure: (app: NestExpressApplication, env) => {
    configureHttp(app, env);
    answerClientErrorsAsProblems(app.getHttpServer());
  },
  bodyParser: false,
  https: tlsOptionsOrExit,
});
