import { startTracing } from '@baton/telemetry';

// Imported first by main.ts: instrumentation must patch modules before they load.
startTracing('integration-manager');
