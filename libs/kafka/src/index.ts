export * from './baton-kafka';
export * from './outgoing-message';
export * from './message-consumer';
export * from './request-client';
export * from './command-server';
export * from './trace-context';
export * from './ingress-event.decoder';
export * from './slots';
