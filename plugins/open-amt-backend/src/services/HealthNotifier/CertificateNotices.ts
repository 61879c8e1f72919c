import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import type { CertificateFinding } from '@open-amt-backstage/plugin-open-amt-node';
import { NotificationSettings } from '../../config';
import type { DeploymentMeta } from '../HealthStore/HealthStore';
import type { NoticeLedger } from './NoticeLedger';
import type { OwnerNotifications } from './OwnerNotifications';

const KINDS: ReadonlySet<string> = new Set(['provisioning', 'cira']);

/** The certificates row's findings (details.certificates), those that are well-formed. */
function findingsOf(components: ComponentHealth[]): CertificateFinding[] {
  const row = components.find(c => c.component === 'certificates');
  const list = row?.details?.certificates;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (f): f is CertificateFinding =>
      !!f &&
      KINDS.has(f.kind) &&
      typeof f.name === 'string' &&
      typeof f.expiresAt === 'string' &&
      Number.isFinite(f.daysLeft),
  );
}

const expired = (f: CertificateFinding) =>
  f.status === 'down' || f.daysLeft < 0;

/**
 * Tells the owners when a provisioning or CIRA certificate crosses one of notifyDays, once per threshold, and once
 * when it has expired. Keys carry the expiry date, so a renewed certificate is warned about again.
 */
export class CertificateNotices {
  constructor(
    private readonly options: {
      settings: NotificationSettings;
      /** Ascending. */
      notifyDays: number[];
      ledger: NoticeLedger;
      owners: OwnerNotifications;
    },
  ) {}

  async notify(
    meta: DeploymentMeta,
    components: ComponentHealth[],
  ): Promise<void> {
    const { settings, owners } = this.options;
    if (!settings.enabled || !settings.onCertificates || !owners.canReach(meta))
      return;
    await Promise.all(findingsOf(components).map(f => this.notifyOne(meta, f)));
  }

  private async notifyOne(meta: DeploymentMeta, f: CertificateFinding) {
    const { ledger, owners, notifyDays } = this.options;
    // Most urgent first: expired, then the smallest threshold crossed.
    const stages = [
      ...(expired(f) ? ['expired'] : []),
      ...notifyDays.filter(d => f.daysLeft <= d).map(String),
    ];
    if (stages.length === 0) return;
    const base = `certificate:${f.kind}:${f.name}:${f.expiresAt}`;
    const [urgent, ...passed] = stages;
    const send = await ledger.claim(meta.entityRef, `${base}:${urgent}`);
    // Crossed together (the portal was off): the earlier ones are settled unsent, so they never arrive late.
    await Promise.all(
      passed.map(stage => ledger.claim(meta.entityRef, `${base}:${stage}`)),
    );
    if (send)
      await owners.send(
        meta,
        this.payload(meta, f, urgent === 'expired' ? 0 : Number(urgent)),
      );
  }

  private payload(
    meta: DeploymentMeta,
    f: CertificateFinding,
    threshold: number,
  ): Omit<NotificationPayload, 'link'> {
    const date = f.expiresAt.slice(0, 10);
    const gone = expired(f);
    const what =
      f.kind === 'cira'
        ? `CIRA certificate ${f.name}`
        : `provisioning certificate of domain ${f.name}`;
    let when = `expired on ${date}`;
    if (!gone)
      when =
        f.daysLeft === 0
          ? 'expires within a day'
          : `expires in ${f.daysLeft} day${f.daysLeft === 1 ? '' : 's'}`;
    const subject =
      f.kind === 'cira'
        ? `MPS's CIRA certificate for ${f.name}`
        : `The provisioning certificate of domain ${f.name}${
            f.domainSuffix ? ` (${f.domainSuffix})` : ''
          }`;
    const breaks =
      f.kind === 'cira'
        ? 'devices refuse to connect to MPS'
        : 'devices in this domain cannot be activated in ACM';
    const description = gone
      ? `${subject} expired on ${date}: ${breaks} until it is renewed.`
      : `${subject} expires on ${date}: renew it before then, or ${breaks}.`;
    let severity: NotificationPayload['severity'] = 'normal';
    if (gone) severity = 'critical';
    else if (threshold <= 7) severity = 'high';
    return {
      title: `Open AMT deployment ${meta.title ?? meta.name}: ${what} ${when}`,
      description,
      severity,
      topic: 'open-amt-certificates',
      // A later notice about the same certificate replaces the earlier one in the owners' list.
      scope: `open-amt-certificate:${meta.entityRef}:${f.kind}:${f.name}`,
    };
  }
}
