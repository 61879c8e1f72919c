/**
 * issue 11: the rendered repository follows the spec's toolkit release — the newest by default, an older one
 * when the spec names it — and every MPS_* / RPS_* variable it sets is one the release's services read.
 */
import {
  DeploymentSpec,
  DeploymentSpecInput,
  parseDeploymentSpec,
  SECRETS_PROVIDERS,
  TOOLKIT_RELEASES,
  TOOLKIT_SERVICE_IDS,
  toolkitRelease,
  type ToolkitServiceId,
} from '@open-amt-backstage/plugin-open-amt-common';
import { parseAllDocuments, parse } from 'yaml';
import { allCombinations, Combination, specFor } from '../__testUtils__/specs';
import { connectionString } from '../secrets/connectionString';
import { renderDeployment, RenderedFile } from '.';

const native: Combination = {
  database: 'postgresql',
  secrets: 'vault',
  gateway: 'kong',
  target: 'compose',
};
const render = (c: Combination, over: Partial<DeploymentSpecInput> = {}) => {
  const spec = parseDeploymentSpec(specFor(c, over));
  return { spec, files: renderDeployment(spec) };
};
const fileOf = (files: RenderedFile[], path: string) =>
  files.find(f => f.path === path)?.content ?? '';

/** Every environment variable name each toolkit service gets, read back from the rendered files. */
function envNamesByService(
  files: RenderedFile[],
): Record<ToolkitServiceId, string[]> {
  const names: Record<ToolkitServiceId, Set<string>> = {
    mps: new Set(),
    rps: new Set(),
    mpsrouter: new Set(),
    webui: new Set(),
  };
  const compose = fileOf(files, 'docker-compose.yml');
  if (compose) {
    const services = parse(compose).services;
    for (const id of TOOLKIT_SERVICE_IDS) {
      Object.keys(services[id].environment ?? {}).forEach(n =>
        names[id].add(n),
      );
      const refs = fileOf(files, `env/${id}.env`);
      for (const line of refs.split('\n')) {
        const m = /^([A-Z0-9_]+)_REF=/.exec(line);
        if (m) names[id].add(m[1]);
      }
    }
  }
  for (const id of TOOLKIT_SERVICE_IDS) {
    for (const doc of parseAllDocuments(
      fileOf(files, `kubernetes/${id}.yaml`),
    )) {
      const o = doc.toJS();
      if (!['Deployment', 'StatefulSet'].includes(o?.kind)) continue;
      for (const c of o.spec.template.spec.containers)
        (c.env ?? []).forEach((e: { name: string }) => names[id].add(e.name));
    }
  }
  return Object.fromEntries(
    TOOLKIT_SERVICE_IDS.map(id => [id, [...names[id]].sort()]),
  ) as Record<ToolkitServiceId, string[]>;
}

/**
 * What the kit's secrets provider of the spec's store reads (`<MPS|RPS>_<rc key>`): it runs inside MPS and RPS, so
 * those names are read although the release's own code does not know them.
 */
function kitNames(
  spec?: DeploymentSpec,
): Partial<Record<ToolkitServiceId, string[]>> {
  const info = spec
    ? SECRETS_PROVIDERS[spec.secrets.provider as keyof typeof SECRETS_PROVIDERS]
    : undefined;
  const keys = info?.kitConfigKeys ?? [];
  return {
    mps: keys.map(k => `MPS_${k.toUpperCase()}`),
    rps: keys.map(k => `RPS_${k.toUpperCase()}`),
  };
}

/** Names a service gets that its release's service (with the kit's provider, for a spec) does not read. */
function unreadNames(
  release: string,
  files: RenderedFile[],
  spec?: DeploymentSpec,
): string[] {
  const keys = toolkitRelease(release).configKeys;
  const kit = kitNames(spec);
  const byService = envNamesByService(files);
  return TOOLKIT_SERVICE_IDS.flatMap(id =>
    byService[id]
      .filter(n => !keys[id].includes(n) && !kit[id]?.includes(n))
      .map(n => `${id}: ${n}`),
  );
}

describe('rendering per toolkit release', () => {
  it('renders v2.37.0 everywhere by default: images, schema, catalog annotation, runbook', () => {
    for (const target of ['compose', 'aks'] as const) {
      const { spec, files } = render({ ...native, target });
      expect(spec.toolkitRelease).toBe('v2.37.0');
      const all = files.map(f => f.content).join('\n');
      for (const image of [
        'intel/device-mgmt-toolkit-mps:v2.34.1',
        'intel/device-mgmt-toolkit-rps:v2.39.4',
        'intel/device-mgmt-toolkit-mps-router:v2.5.13',
        'intel/device-mgmt-toolkit-web-ui:v3.61.1',
      ])
        expect(all).toContain(image);
      expect(all).not.toMatch(/intel\/oact-/);
      const rpsdb = fileOf(files, 'database/postgres/rpsdb.sql');
      expect(rpsdb).toContain('CREATE TABLE IF NOT EXISTS proxyconfigs(');
      expect(rpsdb).toContain(
        'CREATE TABLE IF NOT EXISTS profiles_proxyconfigs(',
      );
      expect(rpsdb).toContain('  uefi_wifi_sync_enabled boolean');
      expect(fileOf(files, 'catalog-info.yaml')).toContain(
        'open-amt.io/toolkit-release: v2.37.0',
      );
      expect(fileOf(files, 'README.md')).toContain(
        'Toolkit v2.37.0 (2026-08): mps 2.34.1, rps 2.39.4, mps-router 2.5.13, web UI 3.61.1 — the newest this portal knows.',
      );
    }
  });

  it('still renders the v2.26.0 images, schema and keys for a v2.26.0 spec', () => {
    const { files } = render(native, { toolkitRelease: 'v2.26.0' });
    const compose = parse(fileOf(files, 'docker-compose.yml')).services;
    expect([
      compose.mps.image,
      compose.rps.image,
      compose.mpsrouter.image,
      compose.webui.image,
    ]).toEqual([
      'intel/oact-mps:v2.13.21',
      'intel/oact-rps:v2.22.14',
      'intel/oact-mpsrouter:v2.3.12',
      'intel/oact-webui:v3.27.4',
    ]);
    expect(compose.kong.image).toBe('kong:3.9.1');
    const rpsdb = fileOf(files, 'database/postgres/rpsdb.sql');
    expect(rpsdb.match(/CREATE TABLE IF NOT EXISTS (\w+)\(/g)).toEqual(
      [
        'ciraconfigs',
        'ieee8021xconfigs',
        'wirelessconfigs',
        'profiles',
        'profiles_wirelessconfigs',
        'domains',
      ].map(t => `CREATE TABLE IF NOT EXISTS ${t}(`),
    );
    expect(rpsdb).not.toMatch(/proxyconfigs|uefi_wifi_sync_enabled/);
    // The variables the generator set before releases were data, unchanged.
    expect(envNamesByService(files)).toEqual({
      mps: [
        'MPS_COMMON_NAME',
        'MPS_CONNECTION_STRING',
        'MPS_DB_PROVIDER',
        'MPS_INSTANCE_NAME',
        'MPS_JWT_EXPIRATION',
        'MPS_JWT_ISSUER',
        'MPS_JWT_SECRET',
        'MPS_LOG_LEVEL',
        'MPS_PORT',
        'MPS_SECRETS_PATH',
        'MPS_SECRETS_PROVIDER',
        'MPS_VAULT_ADDRESS',
        'MPS_VAULT_TOKEN',
        'MPS_WEB_ADMIN_PASSWORD',
        'MPS_WEB_ADMIN_USER',
        'MPS_WEB_PORT',
      ],
      rps: [
        'RPS_CONNECTION_STRING',
        'RPS_DB_PROVIDER',
        'RPS_LOG_LEVEL',
        'RPS_MPS_SERVER',
        'RPS_SECRETS_PATH',
        'RPS_SECRETS_PROVIDER',
        'RPS_VAULT_ADDRESS',
        'RPS_VAULT_TOKEN',
        'RPS_WEBSOCKETPORT',
        'RPS_WEB_PORT',
      ],
      mpsrouter: ['MPS_CONNECTION_STRING', 'MPS_HOST', 'MPS_PORT', 'PORT'],
      webui: ['MPS_SERVER', 'RPS_SERVER'],
    });
    expect(fileOf(files, 'catalog-info.yaml')).toContain(
      'open-amt.io/toolkit-release: v2.26.0',
    );
  });

  it("sets only variables the release's services read, for every combination and release", () => {
    const issues: string[] = [];
    for (const release of TOOLKIT_RELEASES) {
      for (const c of allCombinations()) {
        const over = {
          toolkitRelease: release.id,
          database: {
            provider: c.database,
            host: 'db.example.com',
            caCertSecret: 'db-ca',
          },
        };
        const { spec, files } = render(c, over);
        issues.push(
          ...unreadNames(release.id, files, spec).map(
            i => `${release.id} ${spec.name} ${i}`,
          ),
        );
      }
    }
    expect(issues).toEqual([]);
  });

  it('the variable check fails on a name the release does not read (injected defect)', () => {
    const { files } = render(native);
    const injected = files.map(f =>
      f.path === 'docker-compose.yml'
        ? {
            ...f,
            content: f.content.replace(
              'MPS_LOG_LEVEL: info',
              'MPS_LOG_LEVEL: info\n      MPS_CIRA_WINDOW: "1"',
            ),
          }
        : f,
    );
    expect(unreadNames('v2.37.0', injected)).toEqual(['mps: MPS_CIRA_WINDOW']);
    // RPS_POSTGRES_SSL_CA is read by rps 2.39 (v2.37.0) only.
    const ca = render(
      { ...native, target: 'aks' },
      {
        database: {
          provider: 'postgresql',
          host: 'db.example.com',
          caCertSecret: 'db-ca',
        },
      },
    );
    expect(unreadNames('v2.37.0', ca.files)).toEqual([]);
    expect(unreadNames('v2.26.0', ca.files)).toEqual([
      'rps: RPS_POSTGRES_SSL_CA',
      'rps: RPS_POSTGRES_SSL_REJECT_UNAUTHORIZED',
    ]);
  });

  it("counts the kit provider's variables as read only for the store whose provider reads them", () => {
    const aws = render({ ...native, secrets: 'aws-kms' });
    const kit = [
      'mps: MPS_AWS_KMS_KEY_ID',
      'mps: MPS_AWS_REGION',
      'rps: RPS_AWS_KMS_KEY_ID',
      'rps: RPS_AWS_REGION',
    ];
    // The release alone does not read them (injected defect: a check without the kit's keys).
    expect(unreadNames('v2.37.0', aws.files).sort()).toEqual(kit);
    expect(unreadNames('v2.37.0', aws.files, aws.spec)).toEqual([]);
    // Another store's kit provider does not read them.
    expect(
      unreadNames('v2.37.0', aws.files, render(native).spec).sort(),
    ).toEqual(kit);
  });
});

describe('RPS verifying its PostgreSQL server with a private CA (RPS_POSTGRES_SSL_*)', () => {
  const withCa = {
    database: {
      provider: 'postgresql' as const,
      host: 'db.example.com',
      tlsMode: 'verify-full' as const,
      caCertSecret: 'db-ca',
    },
  };
  const creds = { user: 'u', password: 'p' };

  it('passes the CA file to RPS of v2.37.0, mounts it, and leaves TLS to RPS in its connection string', () => {
    const { spec, files } = render({ ...native, target: 'aks' }, withCa);
    const rps = parseAllDocuments(fileOf(files, 'kubernetes/rps.yaml'))
      .map(d => d.toJS())
      .find(o => ['Deployment', 'StatefulSet'].includes(o.kind));
    const pod = rps.spec.template.spec;
    expect(pod.containers[0].env).toEqual(
      expect.arrayContaining([
        {
          name: 'RPS_POSTGRES_SSL_CA',
          value: '/etc/open-amt/database-ca/ca.pem',
        },
        { name: 'RPS_POSTGRES_SSL_REJECT_UNAUTHORIZED', value: 'true' },
      ]),
    );
    expect(pod.containers[0].volumeMounts).toEqual([
      {
        name: 'database-ca',
        mountPath: '/etc/open-amt/database-ca',
        readOnly: true,
      },
    ]);
    expect(pod.volumes).toEqual([
      {
        name: 'database-ca',
        secret: {
          secretName: 'database-ca',
          items: [{ key: 'ca.pem', path: 'ca.pem' }],
        },
      },
    ]);
    expect(fileOf(files, 'README.md')).toContain(
      "Store the database server's CA bundle (PEM) in the secrets store entry `db-ca` under the key `ca`",
    );
    // The Secret the pods mount comes from the store, through External Secrets.
    const caSecret = parseAllDocuments(
      fileOf(files, 'kubernetes/external-secrets.yaml'),
    )
      .map(d => d.toJS())
      .find(o => o.metadata.name === 'database-ca');
    expect(caSecret.spec.data).toEqual([
      {
        secretKey: 'ca.pem',
        remoteRef: { key: 'open-amt/db-ca', property: 'ca' },
      },
    ]);
    expect(connectionString(spec, 'rps', creds)).toBe(
      'postgresql://u:p@db.example.com:5432/rpsdb',
    );
    // MPS (node-postgres) and mps-router (lib/pq) name the same mounted CA in their connection strings.
    expect(connectionString(spec, 'mps', creds)).toBe(
      'postgresql://u:p@db.example.com:5432/mpsdb?sslmode=verify-full&sslrootcert=/etc/open-amt/database-ca/ca.pem',
    );
    expect(connectionString(spec, 'mps', creds, 'lib/pq')).toBe(
      'postgresql://u:p@db.example.com:5432/mpsdb?sslmode=verify-full&sslrootcert=/etc/open-amt/database-ca/ca.pem',
    );
    for (const id of ['mps', 'mpsrouter']) {
      const podSpec = parseAllDocuments(fileOf(files, `kubernetes/${id}.yaml`))
        .map(d => d.toJS())
        .find(o => ['Deployment', 'StatefulSet'].includes(o.kind)).spec
        .template.spec;
      expect(podSpec.containers[0].volumeMounts).toEqual([
        {
          name: 'database-ca',
          mountPath: '/etc/open-amt/database-ca',
          readOnly: true,
        },
      ]);
    }

    const compose = parse(
      fileOf(render(native, withCa).files, 'docker-compose.yml'),
    ).services;
    for (const id of ['mps', 'rps', 'mpsrouter'])
      expect(compose[id].volumes).toEqual([
        './secrets/database-ca.pem:/etc/open-amt/database-ca/ca.pem:ro',
      ]);
  });

  it('RPS_POSTGRES_SSL_* only where RPS reads it (v2.26.0 and custom images name the CA in the URL instead; no CA, require: none)', () => {
    const cases: Partial<DeploymentSpecInput>[] = [
      { ...withCa, toolkitRelease: 'v2.26.0' },
      { database: { provider: 'postgresql', host: 'db.example.com' } },
      { database: { ...withCa.database, tlsMode: 'require' } },
      { ...withCa, images: { rps: 'registry.example.com/rps:v2.39.4-custom' } },
    ];
    for (const over of cases) {
      const { spec, files } = render({ ...native, target: 'aks' }, over);
      expect(fileOf(files, 'kubernetes/rps.yaml')).not.toMatch(
        /RPS_POSTGRES_SSL/,
      );
      const url = connectionString(spec, 'rps', creds);
      expect(url).toMatch(/\?sslmode=/);
      // With a CA named, node-postgres reads it from sslrootcert; a mount follows it.
      expect(
        url.includes('sslrootcert=') &&
          fileOf(files, 'kubernetes/rps.yaml').includes('database-ca'),
      ).toBe(
        Boolean(
          spec.database.caCertSecret && spec.database.tlsMode === 'verify-full',
        ),
      );
    }
  });
});

describe('image users from the release', () => {
  it('pins the numeric user of non-root images and gives the root Web UI image only the capabilities nginx needs', () => {
    for (const release of TOOLKIT_RELEASES) {
      const { files } = render(
        { ...native, target: 'kubernetes' },
        { toolkitRelease: release.id },
      );
      const pod = (id: string) =>
        parseAllDocuments(fileOf(files, `kubernetes/${id}.yaml`))
          .map(d => d.toJS())
          .find(o => ['Deployment', 'StatefulSet'].includes(o.kind)).spec
          .template.spec;
      for (const id of ['mps', 'rps', 'mpsrouter'] as const) {
        expect(pod(id).securityContext).toEqual({
          runAsNonRoot: true,
          runAsUser: release.components[id].user.uid,
          runAsGroup: release.components[id].user.uid,
          seccompProfile: { type: 'RuntimeDefault' },
        });
      }
      expect(pod('webui').securityContext).toEqual({
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod('webui').containers[0].securityContext.capabilities).toEqual({
        drop: ['ALL'],
        add: ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'],
      });
    }
  });
});
