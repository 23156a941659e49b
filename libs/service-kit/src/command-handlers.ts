import type { CommandRegistry } from '@baton/kafka';

/**
 * The one shape of a feature's commands and queries on the service's command
 * topic (request/reply from the gateway): an injectable class `<Feature>Handlers`
 * in `<feature>/<name>.handlers.ts`, provided by the feature's module, that
 * adds its handlers in `register`. The service's ServiceCommandServer finds
 * every provider that extends this and registers it before it starts
 * consuming: nothing registers itself and no central list names them.
 * Consumers of other topics are `TopicConsumer`s instead.
 */
export abstract class CommandHandlers {
  abstract register(commands: CommandRegistry): void;
}
