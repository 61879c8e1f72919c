import {
  CERTIFICATE_RENEW_DAYS,
  HealthStatus,
  OPEN_AMT_ANNOTATIONS,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { CertificatesAdapter, ProbeContext } from '../types';
import {
  describeUnanswered,
  joinUrl,
  probeBudget,
  probeHttp,
  redactUrl,
} from '../net';
import { tokenRequiredReason } from './tokenRequired';

/** Days left at or below which a certificate is degraded: a month to renew it and redeploy (the fleet filters on it too). */
export const CERT_RENEW_DAYS = CERTIFICATE_RENEW_DAYS;
const DAY_MS = 86_400_000;
/** RPS pages domains ($top, default 25: rps src/utils/constants.ts:139); a few pages cover any real deployment. */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

export interface CertificateFinding {
  kind: 'provisioning' | 'cira';
  /** The ACM domain's profile name, or the CIRA certificate's common name. */
  name: string;
  domainSuffix?: string;
  expiresAt: string;
  daysLeft: number;
  status: HealthStatus;
}

interface RpsDomain {
  profileName?: unknown;
  domainSuffix?: unknown;
  expirationDate?: unknown;
}

const isoDate = (iso: string) => iso.slice(0, 10);

function judge(
  kind: CertificateFinding['kind'],
  name: string,
  expiresAtMs: number,
  now: number,
  domainSuffix?: string,
): CertificateFinding {
  // Whole days left, rounded down: negative once expired.
  const daysLeft = Math.floor((expiresAtMs - now) / DAY_MS);
  let status: HealthStatus = 'healthy';
  if (expiresAtMs <= now) status = 'down';
  else if (daysLeft <= CERT_RENEW_DAYS) status = 'degraded';
  return {
    kind,
    name,
    ...(domainSuffix ? { domainSuffix } : {}),
    expiresAt: new Date(expiresAtMs).toISOString(),
    daysLeft,
    status,
  };
}

function describe(f: CertificateFinding): string {
  const what =
    f.kind === 'cira'
      ? `MPS's CIRA certificate for ${f.name}`
      : `The provisioning certificate of domain ${f.name}${
          f.domainSuffix ? ` (${f.domainSuffix})` : ''
        }`;
  const date = isoDate(f.expiresAt);
  if (f.status === 'down')
    return `${what} expired on ${date}: ${
      f.kind === 'cira'
        ? 'devices refuse to connect'
        : 'devices in this domain cannot be activated in ACM'
    }.`;
  if (f.status === 'degraded')
    return `${what} expires on ${date} (${
      f.daysLeft === 0 ? 'within a day' : `in ${f.daysLeft} days`
    }): renew it.`;
  return `${what} is valid until ${date}.`;
}

/** Every ACM domain RPS holds, page by page, or why they could not be read. */
async function readDomains(
  rpsUrl: string,
  ctx: ProbeContext,
): Promise<{ domains: RpsDomain[]; latencyMs: number } | { unread: string }> {
  const subject = `RPS ${redactUrl(rpsUrl)}`;
  const budget = probeBudget(ctx);
  const domains: RpsDomain[] = [];
  let latencyMs = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = joinUrl(
      rpsUrl,
      `/api/v1/admin/domains?$top=${PAGE_SIZE}&$skip=${
        page * PAGE_SIZE
      }&$count=true`,
    );
    const res = await probeHttp(url, budget.next(), { expectJson: true });
    if (res.kind === 'failure')
      return { unread: `${describeUnanswered(subject, res)}.` };
    latencyMs += res.latencyMs;
    const tokenRequired = tokenRequiredReason(
      subject,
      res,
      OPEN_AMT_ANNOTATIONS.rpsUrl,
    );
    if (tokenRequired) return { unread: tokenRequired };
    // With $count RPS answers { data, totalCount } (rps src/routes/admin/domains/all.ts:28-34 at v2.39.4).
    const body = res.json as { data?: unknown; totalCount?: unknown };
    if (
      res.status !== 200 ||
      !Array.isArray(body?.data) ||
      typeof body.totalCount !== 'number'
    )
      return {
        unread: `${subject} answered GET /api/v1/admin/domains with HTTP ${
          res.status
        }${res.status === 200 ? ' but not with a list of domains' : ''}.`,
      };
    domains.push(...(body.data as RpsDomain[]));
    if (body.data.length < PAGE_SIZE || domains.length >= body.totalCount)
      return { domains, latencyMs };
  }
  return { domains, latencyMs };
}

const RANK: Record<HealthStatus, number> = {
  healthy: 0,
  unknown: 1,
  degraded: 2,
  down: 3,
};

/**
 * The certificates a deployment stops working without: each ACM domain's provisioning certificate (RPS GET
 * /api/v1/admin/domains, its expirationDate) and MPS's CIRA server certificate (read by the CIRA probe in the
 * same sweep). Degraded at CERT_RENEW_DAYS days left or fewer, down once one has expired; unknown when nothing is
 * wrong with what was read but part could not be read.
 */
export const certificatesAdapter: CertificatesAdapter = {
  async probe(target, ctx) {
    const now = Date.now();
    const findings: CertificateFinding[] = [];
    const unread: string[] = [];
    let latencyMs: number | undefined;

    if ('unread' in target.cira)
      unread.push(`MPS's CIRA certificate not read: ${target.cira.unread}`);
    else {
      const validTo = Date.parse(target.cira.validTo);
      if (Number.isNaN(validTo))
        unread.push(`MPS's CIRA certificate has no readable expiry date.`);
      else findings.push(judge('cira', target.cira.commonName, validTo, now));
    }

    if (!target.rpsUrl)
      unread.push(
        target.rpsUnread ??
          `Provisioning certificates not read: the deployment has no ${OPEN_AMT_ANNOTATIONS.rpsUrl} annotation.`,
      );
    else {
      const read = await readDomains(target.rpsUrl, ctx);
      if ('unread' in read)
        unread.push(`Provisioning certificates not read: ${read.unread}`);
      else {
        latencyMs = read.latencyMs;
        for (const d of read.domains) {
          const name =
            typeof d.profileName === 'string' ? d.profileName : '(unnamed)';
          const suffix =
            typeof d.domainSuffix === 'string' ? d.domainSuffix : undefined;
          const expires =
            typeof d.expirationDate === 'string'
              ? Date.parse(d.expirationDate)
              : NaN;
          if (Number.isNaN(expires))
            unread.push(
              `The provisioning certificate of domain ${name} has no readable expiry date.`,
            );
          else findings.push(judge('provisioning', name, expires, now, suffix));
        }
      }
    }

    const worst = findings.reduce<HealthStatus>(
      (w, f) => (RANK[f.status] > RANK[w] ? f.status : w),
      'healthy',
    );
    // Nothing wrong in what was read, but something unread: the row cannot say all is well.
    const status: HealthStatus =
      worst === 'healthy' && unread.length ? 'unknown' : worst;
    const ordered = [...findings].sort(
      (a, b) => RANK[b.status] - RANK[a.status] || a.daysLeft - b.daysLeft,
    );
    const problems = ordered.filter(f => f.status !== 'healthy').map(describe);
    const soonest = ordered.find(f => f.status === 'healthy');
    const summary =
      problems.length === 0 && soonest
        ? [
            `${findings.length} certificate${
              findings.length === 1 ? '' : 's'
            } valid; the first to expire: ${describe(soonest).replace(
              /^The/,
              'the',
            )}`,
          ]
        : [];
    return {
      status,
      latencyMs,
      message: [...problems, ...summary, ...unread].join(' '),
      details: {
        certificates: ordered,
        renewDays: CERT_RENEW_DAYS,
        ...(unread.length ? { unread } : {}),
      },
    };
  },
};
