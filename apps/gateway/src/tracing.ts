// Decorator metadata must be recorded from the first class that loads (config, DTOs, entities).
import 'reflect-metadata';
import { startTracing } from '@baton/telemetry';

// Imported first by main.ts: instrumentation must patch modules before they load.
startTracing('gateway', { incomingHttp: true });
