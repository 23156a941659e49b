// Static checks of the Dockerfile, docker-compose.yml and deploy/k8s: the three must describe
// the same six services, ports, probes and secrets. No Docker engine or cluster is needed.
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const K8S_DIR = join(ROOT, 'deploy', 'k8s');

// Fixed by the design: each app's port, and which secrets it needs (least privilege).
const PORTS: Record<string, number> = {
  gateway: 3000,
  'security-manager': 3001,
  'agent-manager': 3002,
  'workflow-engine': 3003,
  'integration-manager': 3004,
  'event-manager': 3005,
};
const APPS = Object.keys(PORTS);
const SECRETS: Record<string, string[]> = {
  // The gateway verifies no key itself; it seals vault secrets before they go on Kafka.
  gateway: ['BATON_ENCRYPTION_KEY'],
  'security-manager': ['BATON_BOOTSTRAP_API_KEY', 'BATON_ENCRYPTION_KEY', 'DATABASE_URL'],
  'agent-manager': ['BATON_CALLBACK_SECRET', 'BATON_ENCRYPTION_KEY', 'DATABASE_URL'],
  'workflow-engine': ['DATABASE_URL'],
  'integration-manager': ['BATON_ENCRYPTION_KEY', 'DATABASE_URL'],
  'event-manager': ['BATON_ENCRYPTION_KEY', 'DATABASE_URL'],
};
const SECRET_VARS = [
  'BATON_BOOTSTRAP_API_KEY',
  'BATON_CALLBACK_SECRET',
  'BATON_ENCRYPTION_KEY',
  'DATABASE_URL',
];

const read = (...parts: string[]): string => readFileSync(join(ROOT, ...parts), 'utf8');
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

// ---------------------------------------------------------------- literal secret detection

// Upper-case keys are environment variables; camelCase ones (secretName) are references.
const SECRET_NAME = /^[A-Z0-9_]*(PASSWORD|SECRET|TOKEN|_KEY)[A-Z0-9_]*$/;
// A value is safe when it is a compose interpolation or a <placeholder>.
const SAFE_VALUE = /^(\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}|<[^>]+>)$/;
const URL_PASSWORD = /:\/\/[^/:@\s]+:(\$\{[^}]*\}|[^@\s]+)@/;

/** Paths of string values that look like a real secret written into a manifest. */
function literalSecrets(node: unknown, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => literalSecrets(item, `${path}[${i}]`));
  if (typeof node === 'string') {
    const password = URL_PASSWORD.exec(node)?.[1];
    return password !== undefined && !SAFE_VALUE.test(password) ? [path] : [];
  }
  if (node === null || typeof node !== 'object') return [];
  const obj = node as Record<string, unknown>;
  const found: string[] = [];
  // A Kubernetes env entry: { name: SECRET_THING, value: '...' } must use valueFrom instead.
  if (typeof obj.name === 'string' && SECRET_NAME.test(obj.name) && obj.value !== undefined) {
    found.push(`${path}.value`);
  }
  for (const [key, value] of Object.entries(obj)) {
    if (SECRET_NAME.test(key) && typeof value === 'string' && !SAFE_VALUE.test(value)) {
      found.push(`${path}.${key}`);
    } else {
      found.push(...literalSecrets(value, `${path}.${key}`));
    }
  }
  return found;
}

// ---------------------------------------------------------------- Dockerfile

interface Stage {
  base: string;
  name?: string;
  instructions: string[];
}

function dockerStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ base: from[1], name: from[2], instructions: [] });
    else if (stages.length) stages[stages.length - 1].instructions.push(line);
  }
  return stages;
}

const ofKind = (stage: Stage, kind: string): string[] =>
  stage.instructions
    .filter((i) => i.toUpperCase().startsWith(`${kind} `))
    .map((i) => i.slice(kind.length + 1).trim());

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const stages = dockerStages(text);
  const runtime = stages[stages.length - 1];
  const builders = stages.slice(0, -1);

  it('builds in an earlier stage with npm ci and npm run build', () => {
    expect(builders.length).toBeGreaterThanOrEqual(1);
    const runs = builders.flatMap((s) => ofKind(s, 'RUN')).join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
  });

  it('runs on a Node 20 slim or alpine image with production dependencies only', () => {
    expect(runtime.base).toMatch(/^node:20-(slim|alpine)$/);
    const install = ofKind(runtime, 'RUN').find((r) => /\bnpm ci\b/.test(r));
    expect(install).toMatch(/--omit=dev/);
    expect(install).toMatch(/--ignore-scripts/);
    expect(ofKind(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
  });

  it('copies only dist/ from the build stage and no other sources', () => {
    const copies = ofKind(runtime, 'COPY');
    const fromBuild = copies.filter((c) => c.startsWith('--from='));
    expect(fromBuild.length).toBeGreaterThan(0);
    for (const copy of fromBuild) {
      const [flag, src] = copy.split(/\s+/);
      expect(builders.map((b) => b.name)).toContain(flag.slice('--from='.length));
      expect(src).toMatch(/(^|\/)dist\/?$/);
    }
    for (const copy of copies.filter((c) => !c.startsWith('--from='))) {
      expect(copy).toMatch(/^package(-lock)?\.json(\s+package(-lock)?\.json)?\s+\S+$/);
    }
  });

  it('runs as the non-root node user and exposes a port', () => {
    const users = ofKind(runtime, 'USER');
    expect(users[users.length - 1]).toMatch(/^(node|1000)(:\S+)?$/);
    expect(ofKind(runtime, 'EXPOSE')).toHaveLength(1);
  });

  it('starts dist/apps/$APP/src/main.js with exec, so node receives SIGTERM', () => {
    const cmds = ofKind(runtime, 'CMD');
    expect(cmds).toHaveLength(1);
    const argv = JSON.parse(cmds[0]) as string[]; // exec form: no shell left in between
    const command = argv.join(' ');
    expect(command).toMatch(/(^|exec )node dist\/apps\/\$\{?APP\}?\/src\/main\.js$/);
    if (argv[0] !== 'node') expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
  });

  it('maps every app to its own port when validating APP', () => {
    const table = Object.fromEntries(
      [...text.matchAll(/([a-z-]+)\)\s*want=(\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
    expect(table).toEqual(PORTS);
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split(/\r?\n/)
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env', '.git']));
  });
});

// ---------------------------------------------------------------- docker-compose.yml

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string | number | null>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}

const seconds = (duration: string): number => {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (!m || duration === '') throw new Error(`unsupported duration ${duration}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
};

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;
  const env = (name: string) => services[name].environment ?? {};

  it('runs Kafka 3.9.1 in KRaft mode with topic auto-creation off, and Postgres 16', () => {
    const kafka = env('kafka');
    expect(services.kafka.image).toBe('apache/kafka:3.9.1');
    expect(String(kafka.KAFKA_PROCESS_ROLES).split(',').sort()).toEqual(['broker', 'controller']);
    expect(String(kafka.KAFKA_AUTO_CREATE_TOPICS_ENABLE)).toBe('false');
    expect(services.postgres.image).toBe('postgres:16');
    expect(services.postgres.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(services.kafka.healthcheck?.test.join(' ')).toMatch(/--bootstrap-server/);
  });

  it.each(APPS)('%s is built from the Dockerfile for its own app and port', (app) => {
    const svc = services[app];
    expect(svc).toBeDefined();
    expect(svc.build?.args).toEqual({ APP: app, PORT: String(PORTS[app]) });
    expect(svc.image?.split(':')[0]).toBe(`baton/${app}`);
    expect(String(env(app).PORT)).toBe(String(PORTS[app]));
  });

  it.each(APPS)('%s checks /health/ready on its own port', (app) => {
    const test = services[app].healthcheck?.test.join(' ') ?? '';
    expect(test).toContain(`:${PORTS[app]}/health/ready`);
  });

  it.each(APPS)('%s gets the shared settings and exactly the secrets it needs', (app) => {
    const e = env(app);
    const advertised = String(env('kafka').KAFKA_ADVERTISED_LISTENERS);
    expect(advertised).toContain(`://${e.KAFKA_BROKERS}`);
    expect(e.NODE_ENV).toBe('production');
    expect(Object.keys(e)).toEqual(expect.arrayContaining(['LOG_LEVEL', 'SHUTDOWN_TIMEOUT_MS']));
    expect(sorted(Object.keys(e).filter((k) => SECRET_VARS.includes(k)))).toEqual(SECRETS[app]);
    const grace = seconds(services[app].stop_grace_period ?? '10s');
    expect(grace * 1000).toBeGreaterThan(Number(e.SHUTDOWN_TIMEOUT_MS));
  });

  it.each(APPS)('%s waits for healthy Kafka, and for Postgres when it uses it', (app) => {
    const deps = services[app].depends_on ?? {};
    expect(deps.kafka?.condition).toBe('service_healthy');
    if (env(app).DATABASE_URL !== undefined) {
      expect(deps.postgres?.condition).toBe('service_healthy');
      const pg = env('postgres');
      const url = new URL(String(env(app).DATABASE_URL).replace(/\$\{[^}]*\}/, 'x'));
      expect([url.hostname, url.username, url.pathname]).toEqual([
        'postgres',
        pg.POSTGRES_USER,
        `/${pg.POSTGRES_DB}`,
      ]);
    }
  });

  it('waits only on services that have a healthcheck', () => {
    for (const svc of Object.values(services)) {
      for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {})) {
        if (condition === 'service_healthy') expect(services[dep]?.healthcheck).toBeDefined();
      }
    }
  });

  it('publishes only the gateway, on port 3000', () => {
    const published = Object.entries(services).filter(([, s]) => s.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['gateway']);
    expect(services.gateway.ports?.map((p) => p.split(':').pop())).toEqual(['3000']);
  });

  it('holds no literal secret', () => {
    expect(literalSecrets(compose)).toEqual([]);
  });
});

// ---------------------------------------------------------------- deploy/k8s

type Labels = Record<string, string>;
type PortRef = number | string;
interface HttpProbe {
  httpGet: { path: string; port: PortRef; scheme?: string };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  ports: { containerPort: number; name?: string }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe: HttpProbe;
  livenessProbe: HttpProbe;
  startupProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Labels };
  file: string;
}
interface Deployment extends K8sObject {
  spec: {
    selector: { matchLabels: Labels };
    template: {
      metadata: { labels: Labels; annotations?: Record<string, string> };
      spec: { terminationGracePeriodSeconds: number; containers: Container[] };
    };
  };
}
interface Service extends K8sObject {
  spec: { selector: Labels; ports: { port: number; targetPort: PortRef; name?: string }[] };
}
interface Kustomization {
  namespace: string;
  resources: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const dns = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const labels = { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } };
const portNumber = { type: 'integer', minimum: 1, maximum: 65535 };
const portRef = { anyOf: [portNumber, dns] };
const obj = (required: string[], properties: Record<string, unknown>, extra = {}) => ({
  type: 'object',
  required,
  properties,
  ...extra,
});
const positiveInt = { type: 'integer', minimum: 1 };
// Every timing explicit: Kubernetes' defaults (a 1 s timeout) are nobody's decision.
const httpProbe = obj(['httpGet', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'], {
  httpGet: obj(['path', 'port'], { path: { type: 'string', pattern: '^/' }, port: portRef }),
  periodSeconds: positiveInt,
  timeoutSeconds: positiveInt,
  failureThreshold: positiveInt,
});
const metadata = obj(['name'], { name: dns, labels });
const header = (apiVersion: string, kind: string) => ({
  apiVersion: { const: apiVersion },
  kind: { const: kind },
  metadata,
});

const container = obj(
  ['name', 'image', 'ports', 'readinessProbe', 'livenessProbe', 'resources', 'securityContext'],
  {
    name: dns,
    image: { type: 'string', minLength: 1 },
    ports: {
      type: 'array',
      minItems: 1,
      items: obj(['containerPort'], { containerPort: portNumber, name: dns }),
    },
    env: { type: 'array', items: obj(['name'], { name: { type: 'string' } }) },
    readinessProbe: httpProbe,
    livenessProbe: httpProbe,
    startupProbe: httpProbe,
    resources: obj(['requests', 'limits'], {
      requests: obj(['cpu', 'memory'], {}),
      limits: obj(['memory'], {}),
    }),
    securityContext: obj(
      ['runAsNonRoot', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'capabilities'],
      {
        runAsNonRoot: { const: true },
        allowPrivilegeEscalation: { const: false },
        readOnlyRootFilesystem: { const: true },
        capabilities: obj(['drop'], { drop: { type: 'array', contains: { const: 'ALL' } } }),
      },
    ),
  },
);

const SCHEMAS: Record<string, object> = {
  Namespace: obj(['apiVersion', 'kind', 'metadata'], header('v1', 'Namespace')),
  ConfigMap: obj(['apiVersion', 'kind', 'metadata', 'data'], {
    ...header('v1', 'ConfigMap'),
    data: { type: 'object', additionalProperties: { type: 'string' } },
  }),
  Secret: obj(['apiVersion', 'kind', 'metadata', 'stringData'], {
    ...header('v1', 'Secret'),
    stringData: { type: 'object', additionalProperties: { type: 'string' } },
  }),
  Deployment: obj(['apiVersion', 'kind', 'metadata', 'spec'], {
    ...header('apps/v1', 'Deployment'),
    spec: obj(['replicas', 'selector', 'template'], {
      replicas: { type: 'integer', minimum: 1 },
      selector: obj(['matchLabels'], { matchLabels: labels }),
      template: obj(['metadata', 'spec'], {
        metadata: obj(['labels'], { labels }),
        spec: obj(['terminationGracePeriodSeconds', 'securityContext', 'containers'], {
          terminationGracePeriodSeconds: { type: 'integer', minimum: 1 },
          securityContext: obj(['runAsNonRoot'], { runAsNonRoot: { const: true } }),
          containers: { type: 'array', minItems: 1, maxItems: 1, items: container },
        }),
      }),
    }),
  }),
  Service: obj(['apiVersion', 'kind', 'metadata', 'spec'], {
    ...header('v1', 'Service'),
    spec: obj(['selector', 'ports'], {
      // Only an Ingress (not part of the base) may expose anything outside the cluster.
      type: { const: 'ClusterIP' },
      selector: labels,
      ports: {
        type: 'array',
        minItems: 1,
        items: obj(['port', 'targetPort'], { port: portNumber, targetPort: portRef }),
      },
    }),
  }),
  Ingress: obj(['apiVersion', 'kind', 'metadata', 'spec'], {
    ...header('networking.k8s.io/v1', 'Ingress'),
    spec: obj(['rules'], { rules: { type: 'array', minItems: 1 } }),
  }),
  Kustomization: obj(['apiVersion', 'kind', 'namespace', 'resources'], {
    apiVersion: { const: 'kustomize.config.k8s.io/v1beta1' },
    kind: { const: 'Kustomization' },
    namespace: dns,
    resources: { type: 'array', uniqueItems: true, items: { type: 'string' } },
    images: { type: 'array', items: obj(['name'], { name: { type: 'string' } }) },
  }),
};

const ajv = new Ajv({ allErrors: true });
const validators: Record<string, ValidateFunction> = Object.fromEntries(
  Object.entries(SCHEMAS).map(([kind, schema]) => [kind, ajv.compile(schema)]),
);
const schemaErrors = (doc: { kind?: unknown }): string[] => {
  const validate = validators[String(doc.kind)];
  if (!validate) return [`no schema for kind ${String(doc.kind)}`];
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

/** Every YAML document in deploy/k8s, tagged with the file it came from. */
function loadK8s(): K8sObject[] {
  return readdirSync(K8S_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((doc) => {
        if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
        return { ...(doc.toJS() as Omit<K8sObject, 'file'>), file };
      }),
    );
}

const isSubset = (sub: Labels, labelsOf: Labels): boolean =>
  Object.entries(sub).every(([k, v]) => labelsOf[k] === v);

/** The container port a probe or Service refers to, by number or by name. */
const resolvePort = (c: Container, ref: PortRef): number | undefined =>
  c.ports.find((p) => p.containerPort === ref || p.name === ref)?.containerPort;

describe('deploy/k8s', () => {
  const objects = loadK8s();
  const byKind = <T extends K8sObject>(kind: string) =>
    objects.filter((o) => o.kind === kind) as T[];
  const deployments = byKind<Deployment>('Deployment');
  const services = byKind<Service>('Service');
  const kustomization = objects.find((o) => o.kind === 'Kustomization') as unknown as Kustomization;
  const configMap = byKind<K8sObject & { data: Record<string, string> }>('ConfigMap')[0];
  const secret = byKind<K8sObject & { stringData: Record<string, string> }>('Secret')[0];

  it('every object passes the schema for its kind', () => {
    const failures = objects.flatMap((o) => schemaErrors(o).map((e) => `${o.file}: ${e}`));
    expect(failures).toEqual([]);
  });

  it('the schemas reject a Deployment that loses its hardening or its probes', () => {
    const good = deployments[0];
    expect(schemaErrors(good)).toEqual([]);
    const bad = structuredClone(good);
    const c = bad.spec.template.spec.containers[0] as unknown as Record<string, unknown>;
    (c.securityContext as Record<string, unknown>).allowPrivilegeEscalation = true;
    delete c.readinessProbe;
    delete (c.livenessProbe as Record<string, unknown>).timeoutSeconds;
    expect(schemaErrors(bad)).toHaveLength(3);
  });

  it('the kustomization lists every manifest in the folder, except *.example.yaml', () => {
    const files = readdirSync(K8S_DIR).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && !f.endsWith('.example.yaml'),
    );
    expect(sorted(kustomization.resources)).toEqual(sorted(files));
    for (const r of kustomization.resources) expect(existsSync(join(K8S_DIR, r))).toBe(true);
    expect(existsSync(join(K8S_DIR, 'README.md'))).toBe(true);
  });

  it('deploys into the baton namespace', () => {
    expect(byKind('Namespace').map((n) => n.metadata.name)).toEqual(['baton']);
    expect(kustomization.namespace).toBe('baton');
  });

  it('has exactly one Deployment per app', () => {
    expect(sorted(deployments.map((d) => d.metadata.name))).toEqual(sorted(APPS));
  });

  const deploymentOf = (app: string) => {
    const d = deployments.find((x) => x.metadata.name === app);
    if (!d) throw new Error(`no Deployment named ${app}`);
    return { d, pod: d.spec.template, c: d.spec.template.spec.containers[0] };
  };

  describe.each(APPS)('%s', (app) => {
    it('labels its pods with app.kubernetes.io/name and selects them', () => {
      const { d, pod } = deploymentOf(app);
      expect(pod.metadata.labels['app.kubernetes.io/name']).toBe(app);
      expect(isSubset(d.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    });

    it('listens on its port and is selected by exactly one Service targeting it', () => {
      const { d, pod, c } = deploymentOf(app);
      // The API port, and /metrics on its own port (PORT + 6000) that no Service exposes.
      expect(c.ports.map((p) => p.containerPort)).toEqual([PORTS[app], PORTS[app] + 6000]);
      const matching = services.filter((s) => isSubset(s.spec.selector, pod.metadata.labels));
      expect(matching.map((s) => s.metadata.name)).toEqual([app]);
      expect(matching[0].file).toBe(d.file);
      for (const p of matching[0].spec.ports) {
        expect(p.port).toBe(PORTS[app]);
        expect(resolvePort(c, p.targetPort)).toBe(PORTS[app]);
      }
    });

    it('is scraped on its metrics port, which no Service exposes', () => {
      const { pod, c } = deploymentOf(app);
      const metrics = PORTS[app] + 6000;
      expect(resolvePort(c, 'metrics')).toBe(metrics);
      expect(pod.metadata.annotations?.['prometheus.io/port']).toBe(String(metrics));
      for (const service of services) {
        for (const p of service.spec.ports) expect(p.port).not.toBe(metrics);
      }
    });

    it('probes /health/ready and /health/live on its port', () => {
      const { c } = deploymentOf(app);
      expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/health/live');
      const probes = [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean);
      for (const probe of probes as HttpProbe[]) {
        expect(resolvePort(c, probe.httpGet.port)).toBe(PORTS[app]);
      }
    });

    it('restarts a hung event loop: liveness with a short timeout, after a start probe', () => {
      const { c } = deploymentOf(app);
      const live = c.livenessProbe;
      // /health/live does no I/O, so seconds without an answer mean a blocked loop.
      expect(live.timeoutSeconds).toBeLessThanOrEqual(5);
      expect(live.timeoutSeconds).toBeLessThan(live.periodSeconds);
      // More than one miss (a GC pause is not a hang), and a restart within about a minute.
      expect(live.failureThreshold).toBeGreaterThanOrEqual(2);
      expect(live.periodSeconds * live.failureThreshold).toBeLessThanOrEqual(60);
      // Start-up (schema, topics) is slower than liveness allows: a startupProbe covers it.
      const start = c.startupProbe;
      expect(start?.httpGet.path).toBe('/health/live');
      expect(start!.periodSeconds * start!.failureThreshold).toBeGreaterThanOrEqual(60);
      expect(c.readinessProbe.timeoutSeconds).toBeLessThanOrEqual(5);
    });

    it('gets PORT, the shared ConfigMap, and only the secrets it needs', () => {
      const { c } = deploymentOf(app);
      expect(c.env?.find((e) => e.name === 'PORT')?.value).toBe(String(PORTS[app]));
      expect(c.envFrom?.map((f) => f.configMapRef?.name)).toContain(configMap.metadata.name);
      expect(c.envFrom?.some((f) => f.secretRef)).toBe(false);
      const refs = (c.env ?? []).flatMap((e) => e.valueFrom?.secretKeyRef ?? []);
      expect(sorted(refs.map((r) => r.key))).toEqual(SECRETS[app]);
      for (const r of refs) expect(r.name).toBe(secret.metadata.name);
    });

    it('gives the app longer than SHUTDOWN_TIMEOUT_MS (after preStop) to stop', () => {
      const { pod, c } = deploymentOf(app);
      const sleep = c.lifecycle?.preStop?.exec?.command;
      const preStopMs = sleep?.[0] === 'sleep' ? Number(sleep[1]) * 1000 : 0;
      const shutdownMs = Number(configMap.data.SHUTDOWN_TIMEOUT_MS);
      expect(shutdownMs).toBeGreaterThan(0);
      expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownMs + preStopMs);
    });

    it('uses the baton/<app> image that compose builds, tagged by the kustomization', () => {
      const { c } = deploymentOf(app);
      expect(c.image).toBe(`baton/${app}`);
      expect(kustomization.images?.find((i) => i.name === c.image)?.newTag).toBeTruthy();
    });
  });

  it('keeps secrets out of the ConfigMap and placeholders only in the example Secret', () => {
    expect(Object.keys(configMap.data).filter((k) => SECRET_VARS.includes(k))).toEqual([]);
    expect(configMap.data.KAFKA_BROKERS).toBeTruthy();
    expect(secret.file).toBe('secret.example.yaml');
    expect(kustomization.resources).not.toContain(secret.file);
    expect(sorted(Object.keys(secret.stringData))).toEqual(SECRET_VARS);
    for (const value of Object.values(secret.stringData)) expect(value).toMatch(/<[^>]+>/);
  });

  it('holds no literal secret in any manifest', () => {
    expect(objects.flatMap((o) => literalSecrets(o, o.file))).toEqual([]);
  });

  it('routes the example Ingress to the gateway Service port', () => {
    type Backend = { service: { name: string; port: { name?: string; number?: number } } };
    type Ingress = { spec: { rules: { http: { paths: { backend: Backend }[] } }[] } };
    const gateway = services.find((s) => s.metadata.name === 'gateway') as Service;
    const backends = byKind('Ingress').flatMap((i) =>
      (i as unknown as Ingress).spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend)),
    );
    expect(backends.length).toBeGreaterThan(0);
    for (const { service } of backends) {
      expect(service.name).toBe('gateway');
      const port = gateway.spec.ports.find(
        (p) => p.port === service.port.number || (p.name && p.name === service.port.name),
      );
      expect(port).toBeDefined();
    }
  });
});

// ---------------------------------------------------------------- deploy/k8s/agent-provisioning

describe('deploy/k8s/agent-provisioning (the kubernetes provisioner, opt-in)', () => {
  const DIR = join(K8S_DIR, 'agent-provisioning');
  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
  type Doc = K8sObject & {
    metadata: { namespace?: string };
    rules?: Rule[];
    roleRef?: { kind: string; name: string };
    subjects?: { kind: string; name: string; namespace: string }[];
    resources?: string[];
    patches?: { path: string; target: { kind: string; name: string } }[];
  };
  const docs: Doc[] = readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => ({
        ...(d.toJS() as Doc),
        file,
      })),
    );
  const one = (kind: string) => docs.filter((d) => d.kind === kind);
  const component = one('Component')[0];
  const [role] = one('Role');
  const [binding] = one('RoleBinding');
  const [account] = one('ServiceAccount');
  const patch = docs.find((d) => d.file === component.patches?.[0]?.path) as Deployment &
    Doc & { spec: { template: { spec: Record<string, unknown> } } };

  it('is a kustomize Component listing every file in its folder', () => {
    const files = [...(component.resources ?? []), ...(component.patches ?? []).map((p) => p.path)];
    expect(sorted(files)).toEqual(
      sorted(new Set(docs.filter((d) => d !== component).map((d) => d.file))),
    );
    expect(component.patches?.[0].target).toEqual({ kind: 'Deployment', name: 'agent-manager' });
  });

  it('grants exactly the calls kubernetes-client.ts makes, in the agents namespace only', () => {
    // Each client call and the RBAC permission it needs; a new call must be added here and to the Role.
    const needs: Record<string, string> = {
      listNamespacedDeployment: 'deployments:list',
      createNamespacedDeployment: 'deployments:create',
      patchNamespacedDeployment: 'deployments:patch',
      deleteNamespacedDeployment: 'deployments:delete',
      patchNamespacedDeploymentScale: 'deployments/scale:patch',
    };
    const source = read('apps/agent-manager/src/provisioning/kubernetes/kubernetes-client.ts');
    const calls = [...source.matchAll(/\bapi\.(\w+)\(/g)].map((m) => m[1]);
    expect(calls.filter((c) => !needs[c])).toEqual([]);
    const granted = (role.rules ?? []).flatMap((r) =>
      r.resources.flatMap((res) => r.verbs.map((v) => `${res}:${v}`)),
    );
    expect(sorted(granted)).toEqual(sorted(new Set(calls.map((c) => needs[c]))));
    for (const rule of role.rules ?? []) expect(rule.apiGroups).toEqual(['apps']);
    expect(one('ClusterRole')).toEqual([]);
    expect(one('ClusterRoleBinding')).toEqual([]);
    expect(role.metadata.namespace).toBe('baton-agents');
    expect(role.metadata.namespace).not.toBe(kustomizationNamespace());
  });

  it("binds the Role to agent-manager's service account, which the patch makes it use", () => {
    expect(binding.metadata.namespace).toBe(role.metadata.namespace);
    expect(binding.roleRef).toMatchObject({ kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: account.metadata.name, namespace: kustomizationNamespace() },
    ]);
    expect(account.metadata.namespace).toBe(kustomizationNamespace());
    const pod = patch.spec.template.spec;
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    expect(pod.automountServiceAccountToken).toBe(true);
    const env = (pod.containers as Container[])[0].env ?? [];
    expect(env.find((e) => e.name === 'AGENT_KUBERNETES_NAMESPACES')?.value).toBe(
      role.metadata.namespace,
    );
  });

  it('enforces Pod Security restricted on the agents namespace', () => {
    const [ns] = one('Namespace');
    expect(ns.metadata.name).toBe(role.metadata.namespace);
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('leaves the base without an API token for agent-manager', () => {
    const base = parseAllDocuments(read('deploy', 'k8s', 'agent-manager.yaml'))
      .map((d) => d.toJS() as Deployment)
      .find((d) => d.kind === 'Deployment')!;
    expect(base.spec.template.spec).toMatchObject({ automountServiceAccountToken: false });
  });

  function kustomizationNamespace(): string {
    return (parse(read('deploy', 'k8s', 'kustomization.yaml')) as { namespace: string }).namespace;
  }
});

describe('literal secret detection', () => {
  it('flags literal values and accepts interpolations, placeholders and references', () => {
    const doc = {
      environment: {
        BATON_ENCRYPTION_KEY: 'q83vEjRWeJA=',
        POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?required}',
        DATABASE_URL: 'postgres://baton:hunter2@postgres/baton',
        OTHER_URL: 'postgres://baton:${POSTGRES_PASSWORD}@postgres/baton',
      },
      env: [
        { name: 'BATON_BOOTSTRAP_API_KEY', value: 'abc' },
        { name: 'BATON_ENCRYPTION_KEY', valueFrom: { secretKeyRef: { key: 'X', name: 'y' } } },
      ],
      tls: { secretName: 'baton-tls' },
      stringData: { API_TOKEN: '<token>' },
    };
    expect(literalSecrets(doc).sort()).toEqual([
      '$.env[0].value',
      '$.environment.BATON_ENCRYPTION_KEY',
      '$.environment.DATABASE_URL',
    ]);
  });
});
