import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface ScriptedResponse {
  status?: number;
  body?: unknown;
  /** Sent as is instead of JSON (to play an endpoint that answers garbage). */
  raw?: string;
  delayMs?: number;
}

export type Script = (
  request: ScriptedRequest,
  index: number,
) => ScriptedResponse | Promise<ScriptedResponse>;

/**
 * A small real HTTP server whose answers a test scripts: a callback receiver,
 * a remote agent, an A2A agent, an OpenAI-compatible endpoint.
 */
export class ScriptedServer {
  readonly received: ScriptedRequest[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly script: Script) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = body ? JSON.parse(body) : undefined;
        } catch {
          json = undefined;
        }
        const entry: ScriptedRequest = {
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: request.headers,
          body,
          json,
        };
        this.received.push(entry);
        void Promise.resolve(this.script(entry, this.received.length - 1)).then(async (answer) => {
          if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
          response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
          response.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

/** A name no earlier run used: task topics and consumer groups outlive the e2e database. */
export function uniqueName(base: string): string {
  return `${base}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
