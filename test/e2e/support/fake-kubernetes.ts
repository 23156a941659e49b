import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: unknown;
  status: number;
}

type Json = Record<string, unknown>;
interface Deployment extends Json {
  metadata: Json & { name: string; namespace: string; labels?: Record<string, string> };
  spec: Json & { replicas?: number };
  status: Json;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  remaining: number;
}

const DEPLOYMENTS = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments(?:\/([^/]+))?(\/scale)?$/;

/**
 * A small real Kubernetes API server for the e2e tests: the subset of apps/v1
 * the kubernetes provisioner uses (Deployments: list with labelSelector,
 * create, get, JSON/merge patch, delete; the scale subresource), with bearer
 * authentication, Status errors (401, 404, 409, 415, injected 403/500) and an
 * instant "controller" that makes every replica ready. Every request is recorded.
 */
export class FakeKubernetes {
  readonly requests: RecordedRequest[] = [];
  private readonly deployments = new Map<string, Deployment>();
  private readonly failures: Failure[] = [];
  private server?: Server;
  private version = 1;

  constructor(private readonly token: string) {}

  async start(port: number): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => this.handle(request, Buffer.concat(chunks).toString(), response));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The next `times` requests matching method and path answer `status` (e.g. 403, 500). */
  fail(method: string, path: RegExp, status: number, times = Number.POSITIVE_INFINITY): void {
    this.failures.push({ method, path, status, remaining: times });
  }

  heal(): void {
    this.failures.length = 0;
  }

  deployment(namespace: string, name: string): Deployment | undefined {
    return this.deployments.get(`${namespace}/${name}`);
  }

  all(): Deployment[] {
    return [...this.deployments.values()];
  }

  private handle(request: IncomingMessage, text: string, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const contentType = (request.headers['content-type'] ?? '').split(';')[0];
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const answer = (status: number, payload: unknown) => {
      this.requests.push({
        method: request.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        contentType,
        body,
        status,
      });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return answer(401, statusOf(401, 'Unauthorized', 'Unauthorized'));
    }
    const failure = this.failures.find(
      (f) => f.remaining > 0 && f.method === request.method && f.path.test(url.pathname),
    );
    if (failure) {
      failure.remaining -= 1;
      const reason = failure.status === 403 ? 'Forbidden' : 'InternalError';
      return answer(failure.status, statusOf(failure.status, reason, `injected ${reason}`));
    }
    const match = DEPLOYMENTS.exec(url.pathname);
    if (!match)
      return answer(
        404,
        statusOf(404, 'NotFound', 'the server could not find the requested resource'),
      );
    const [, namespace, name, scale] = match;
    try {
      const [status, payload] = this.route(request.method ?? '', namespace, name, Boolean(scale), {
        contentType,
        body,
        selector: url.searchParams.get('labelSelector'),
      });
      answer(status, payload);
    } catch (error) {
      const e = error as { status?: number; reason?: string; message: string };
      answer(e.status ?? 500, statusOf(e.status ?? 500, e.reason ?? 'InternalError', e.message));
    }
  }

  private route(
    method: string,
    namespace: string,
    name: string | undefined,
    scale: boolean,
    request: { contentType: string; body: unknown; selector: string | null },
  ): [number, unknown] {
    if (!name) {
      if (method === 'GET') {
        const items = this.all().filter(
          (d) =>
            d.metadata.namespace === namespace &&
            matches(d.metadata.labels ?? {}, request.selector),
        );
        return [
          200,
          {
            kind: 'DeploymentList',
            apiVersion: 'apps/v1',
            metadata: { resourceVersion: String(this.version) },
            items,
          },
        ];
      }
      if (method === 'POST') return [201, this.create(namespace, request.body as Deployment)];
      throw problem(405, 'MethodNotAllowed', `${method} is not allowed`);
    }
    const key = `${namespace}/${name}`;
    const existing = this.deployments.get(key);
    if (!existing) throw problem(404, 'NotFound', `deployments.apps "${name}" not found`);
    if (method === 'GET') return [200, scale ? scaleOf(existing) : existing];
    if (method === 'PATCH') {
      const target = scale ? scaleOf(existing) : existing;
      const patched = applyPatch(target, request.contentType, request.body);
      if (scale) existing.spec.replicas = (patched.spec as { replicas?: number }).replicas ?? 0;
      else this.deployments.set(key, patched as Deployment);
      const updated = this.settle(this.deployments.get(key)!);
      return [200, scale ? scaleOf(updated) : updated];
    }
    if (method === 'DELETE') {
      this.deployments.delete(key);
      return [
        200,
        {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, group: 'apps', kind: 'deployments', uid: existing.metadata.uid },
        },
      ];
    }
    throw problem(405, 'MethodNotAllowed', `${method} is not allowed`);
  }

  private create(namespace: string, body: Deployment): Deployment {
    if (body?.kind !== 'Deployment' || !body.metadata?.name) {
      throw problem(400, 'BadRequest', 'the body is not a Deployment');
    }
    if (body.metadata.namespace && body.metadata.namespace !== namespace) {
      throw problem(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const key = `${namespace}/${body.metadata.name}`;
    if (this.deployments.has(key)) {
      throw problem(
        409,
        'AlreadyExists',
        `deployments.apps "${body.metadata.name}" already exists`,
      );
    }
    const created: Deployment = structuredClone(body);
    Object.assign(created.metadata, {
      namespace,
      uid: randomUUID(),
      creationTimestamp: new Date().toISOString(),
      generation: 1,
    });
    created.spec.replicas ??= 1;
    this.deployments.set(key, created);
    return this.settle(created);
  }

  /** The controller, instantly: every desired replica is there and ready. */
  private settle(deployment: Deployment): Deployment {
    this.version += 1;
    deployment.metadata.resourceVersion = String(this.version);
    const replicas = deployment.spec.replicas ?? 0;
    deployment.status =
      replicas === 0
        ? {}
        : {
            replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
            updatedReplicas: replicas,
          };
    return deployment;
  }
}

function scaleOf(d: Deployment): Json {
  const replicas = d.spec.replicas ?? 0;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: d.metadata.name, namespace: d.metadata.namespace, uid: d.metadata.uid },
    // Like the real API server, replicas is left out when it is 0.
    spec: replicas === 0 ? {} : { replicas },
    status: { replicas: (d.status.replicas as number | undefined) ?? 0 },
  };
}

/** Equality-based label selectors (`a=b,c=d`), the kind the provisioner sends. */
function matches(labels: Record<string, string>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return labels[key] === value;
  });
}

function applyPatch(target: Json, contentType: string, patch: unknown): Json {
  const copy = structuredClone(target);
  if (contentType === 'application/json-patch+json') {
    if (!Array.isArray(patch)) throw problem(400, 'BadRequest', 'a JSON patch must be a list');
    for (const op of patch as { op: string; path: string; value: unknown }[]) {
      const parts = op.path
        .split('/')
        .slice(1)
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      const last = parts.pop()!;
      let node: Json = copy;
      for (const part of parts) {
        if (typeof node[part] !== 'object' || node[part] === null) {
          throw problem(422, 'Invalid', `the path ${op.path} does not exist`);
        }
        node = node[part] as Json;
      }
      if (op.op === 'replace' && !(last in node)) {
        throw problem(
          422,
          'Invalid',
          `replace operation does not apply: doc is missing key: ${op.path}`,
        );
      }
      if (op.op !== 'add' && op.op !== 'replace')
        throw problem(422, 'Invalid', `unsupported op ${op.op}`);
      node[last] = op.value;
    }
    return copy;
  }
  if (
    contentType === 'application/merge-patch+json' ||
    contentType === 'application/strategic-merge-patch+json'
  ) {
    return merge(copy, patch as Json);
  }
  throw problem(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format: ${contentType}`,
  );
}

function merge(target: Json, patch: Json): Json {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof target[key] === 'object'
    ) {
      target[key] = merge(target[key] as Json, value as Json);
    } else target[key] = value;
  }
  return target;
}

function problem(status: number, reason: string, message: string): Error {
  return Object.assign(new Error(message), { status, reason });
}

function statusOf(code: number, reason: string, message: string): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}
