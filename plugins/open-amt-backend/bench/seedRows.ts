/*
 * What bench:api seeds per component: the messages and details the probes write (taken from a bench:probes
 * sweep against the contract fleet), varied per deployment, so stored rows and API answers have their real size.
 */
import {
  ComponentId,
  LATEST_TOOLKIT_RELEASE,
} from '@open-amt-backstage/plugin-open-amt-common';

const DAY_MS = 86_400_000;

/** The devices MPS counts for deployment `i`: what the devices row reports and its history keeps. */
export function deviceCounts(i: number) {
  const totalCount = 20 + (i % 180);
  const connectedCount = totalCount - (i % 9);
  return { totalCount, connectedCount };
}

const toolkitHealth = {
  db: { name: 'postgres', status: 'OK' },
  secretStore: {
    name: 'vault',
    sealed: false,
    initialized: true,
    version: '1.18.3',
  },
};

/** Message and details of one component row of deployment `i`, as its probe writes them. */
export function seededRow(
  component: ComponentId,
  i: number,
  now: number,
): { message: string; details: Record<string, unknown> } {
  const host = `deployment-${i}.sites.example.com`;
  const release = LATEST_TOOLKIT_RELEASE;
  const expected = (id: 'mps' | 'rps' | 'mpsrouter' | 'webui') => ({
    toolkitRelease: release.id,
    expectedVersion: release.components[id].version,
  });
  switch (component) {
    case 'mps':
      return {
        message: `MPS http://mps.${host}:3000/ reports itself healthy.`,
        details: {
          httpStatus: 200,
          ...toolkitHealth,
          version: release.components.mps.version,
          ...expected('mps'),
        },
      };
    case 'rps':
      return {
        message: `RPS http://rps.${host}:8081/ reports itself healthy.`,
        details: {
          httpStatus: 200,
          ...toolkitHealth,
          version: release.components.rps.version,
          protocolVersion: '4.0.0',
          ...expected('rps'),
        },
      };
    case 'mpsrouter':
      return {
        message: `MPS Router http://mpsrouter.${host}:8003/ reaches MPS.`,
        details: {
          httpStatus: 200,
          mps: toolkitHealth,
          ...expected('mpsrouter'),
        },
      };
    case 'webui':
      return {
        message: `Web UI http://webui.${host}/ serves the UI "Device Management Toolkit".`,
        details: {
          httpStatus: 200,
          title: 'Device Management Toolkit',
          ...expected('webui'),
        },
      };
    case 'database': {
      const finding = { release: release.id, source: 'table' };
      return {
        message: `PostgreSQL at db.${host}:5432 answers; rpsdb and mpsdb hold the toolkit's tables.`,
        details: { schemaVersion: { rps: finding, mps: finding } },
      };
    }
    case 'secrets':
      return {
        message: `Vault at http://vault.${host}:8200/ is initialized, unsealed and active; KV v2 mount "kv" is readable.`,
        details: {
          healthCode: 200,
          version: '1.18.3',
          clusterName: 'vault-cluster',
          initialized: true,
          sealed: false,
          standby: false,
          performanceStandby: false,
          replicationDrMode: 'disabled',
          tokenTtlSeconds: 2_592_000,
          tokenRenewable: true,
          tokenPolicies: ['open-amt-portal'],
          mountFound: true,
          mountType: 'kv',
          mountVersion: '2',
          mount: 'kv',
        },
      };
    case 'gateway':
      return {
        message: `Kong admin API http://kong.${host}:8001/: configuration loaded, all 8 Open AMT routes present.`,
        details: {
          version: '3.9.0',
          configurationHash: (i * 2654435761).toString(16).padStart(32, '0'),
          databaseReachable: true,
          routes: 8,
          services: 6,
          drift: { missing: [], extra: [], unresolvedServices: [] },
        },
      };
    case 'cira': {
      const daysLeft = 100 + (i % 200);
      return {
        message: `CIRA endpoint mps.${host}:4433 presents MPS's certificate for mps.${host}, valid ${daysLeft} more days.`,
        details: {
          subjectCN: `mps.${host}`,
          subjectAltNames: [`mps.${host}`],
          issuerCN: 'MPSRoot',
          validFrom: new Date(now - 365 * DAY_MS).toISOString(),
          validTo: new Date(now + daysLeft * DAY_MS).toISOString(),
          daysLeft,
          fingerprint256: Array.from({ length: 32 }, (_, b) =>
            ((i * 31 + b * 17) % 256).toString(16).padStart(2, '0'),
          )
            .join(':')
            .toUpperCase(),
          tlsProtocol: 'TLSv1.3',
          chainVerified: false,
        },
      };
    }
    case 'devices': {
      const { totalCount, connectedCount } = deviceCounts(i);
      return {
        message: `${connectedCount} of ${totalCount} devices connected to MPS (${
          totalCount - connectedCount
        } disconnected).`,
        details: {
          totalCount,
          connectedCount,
          disconnectedCount: totalCount - connectedCount,
        },
      };
    }
    case 'certificates': {
      const certificate = (
        kind: 'provisioning' | 'cira',
        name: string,
        days: number,
        domainSuffix?: string,
      ) => ({
        kind,
        name,
        ...(domainSuffix ? { domainSuffix } : {}),
        expiresAt: new Date(now + days * DAY_MS).toISOString(),
        daysLeft: days,
        status: 'healthy',
      });
      const certificates = [
        certificate('provisioning', 'berlin', 200 + (i % 50), `berlin.${host}`),
        certificate('provisioning', 'lyon', 320 + (i % 40), `lyon.${host}`),
        certificate('cira', `mps.${host}`, 100 + (i % 200)),
        certificate('provisioning', 'porto', 410 + (i % 30), `porto.${host}`),
      ];
      return {
        message: `4 certificates valid; the first to expire: the provisioning certificate of domain berlin (berlin.${host}) is valid until ${certificates[0].expiresAt.slice(
          0,
          10,
        )}.`,
        details: { certificates, renewDays: 30 },
      };
    }
    default: {
      const unknown: never = component;
      throw new Error(`no seeded row for ${unknown}`);
    }
  }
}
