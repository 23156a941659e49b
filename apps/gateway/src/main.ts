import './tracing';
import { runService } from '@baton/service-kit';
import { GatewayEnv } from './gateway.env';
import { tlsOptionsOrExit } from './gateway-tls';
import { GatewayModule } from './gateway.module';
import { configureHttp } from './http-setup';

runService({
  service: 'gateway',
  defaultPort: 3000,
  env: GatewayEnv,
  module: (env, logger) => GatewayModule.forEnv(env, logger),
  configure: configureHttp,
  bodyParser: false,
  https: tlsOptionsOrExit,
});
