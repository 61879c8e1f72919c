import { TestDatabases } from '@backstage/backend-test-utils';
import { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import type { CertificateFinding } from '@open-amt-backstage/plugin-open-amt-node';
import {
  notifiersOnLedger,
  shopMeta,
} from '../../__testUtils__/ledgerNotifier';
import type { RecordOutcome } from '../HealthStore/HealthStore';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const meta = shopMeta;
const unchanged: RecordOutcome = {
  entityRef: 'system:default/shop',
  previousStatus: 'degraded',
  status: 'degraded',
  changed: [],
};
const EXPIRES = '2026-04-01T00:00:00.000Z';

/** The certificates row as the adapter writes it, the provisioning certificate `daysLeft` days from EXPIRES. */
const certificates = (daysLeft: number): ComponentHealth[] => {
  let status: CertificateFinding['status'] = 'healthy';
  if (daysLeft < 0) status = 'down';
  else if (daysLeft <= 30) status = 'degraded';
  const finding: CertificateFinding = {
    kind: 'provisioning',
    name: 'vpro',
    domainSuffix: 'shop.example.com',
    expiresAt: EXPIRES,
    daysLeft,
    status,
  };
  return [
    {
      component: 'certificates',
      provider: 'open-amt',
      supportLevel: 'native',
      status: finding.status,
      checkedAt: '2026-03-01T00:00:00Z',
      message: '…',
      details: { certificates: [finding], renewDays: 30 },
    },
  ];
};

async function setUp() {
  const { knex, store, sent, notifierWith } = await notifiersOnLedger(
    databases,
  );
  const titles = () => sent.map(n => n.payload.title.replace(/^.*: /, ''));
  const ledger = async () =>
    (await knex('open_amt_notices').select('notice_key'))
      .map(r =>
        r.notice_key.replace(`certificate:provisioning:vpro:${EXPIRES}:`, ''),
      )
      .sort();
  return { store, sent, titles, notifierWith, ledger };
}

describe('HealthNotifier certificate notices', () => {
  it('sends the most urgent of thresholds crossed together, never the earlier ones later; then each next one; expiry once, critical', async () => {
    const { notifierWith, titles, sent, ledger } = await setUp();
    const notifier = notifierWith();
    // The portal was off from 40 days to 5 days before expiry.
    for (const days of [40, 5])
      await notifier.onRecorded(meta(), unchanged, certificates(days));
    // The 30-day notice is settled with the 7-day one, unsent.
    expect(await ledger()).toEqual(['30', '7']);
    for (const days of [5, 4, 1, 0, -1, -2])
      await notifier.onRecorded(meta(), unchanged, certificates(days));
    expect(titles()).toEqual([
      'provisioning certificate of domain vpro expires in 5 days',
      'provisioning certificate of domain vpro expires in 1 day',
      'provisioning certificate of domain vpro expired on 2026-04-01',
    ]);
    expect(sent.map(n => n.payload.severity)).toEqual([
      'high',
      'high',
      'critical',
    ]);
    expect(sent[2].payload.description).toBe(
      'The provisioning certificate of domain vpro (shop.example.com) expired on 2026-04-01: devices in this domain cannot be activated in ACM until it is renewed.',
    );
    // One scope per certificate: each notice replaces the one before in the owners' list.
    expect(new Set(sent.map(n => n.payload.scope))).toEqual(
      new Set(['open-amt-certificate:system:default/shop:provisioning:vpro']),
    );
  });

  it('sends each notice once across backends sharing the ledger (a restart, another replica)', async () => {
    const { notifierWith, titles } = await setUp();
    await notifierWith().onRecorded(meta(), unchanged, certificates(30));
    await notifierWith().onRecorded(meta(), unchanged, certificates(29));
    expect(titles()).toEqual([
      'provisioning certificate of domain vpro expires in 30 days',
    ]);
  });

  it('claims nothing while nobody can be told, so the owners confirmed later are told', async () => {
    const { notifierWith, titles } = await setUp();
    const notifier = notifierWith();
    await notifier.onRecorded(meta([]), unchanged, certificates(6));
    expect(titles()).toEqual([]);
    await notifier.onRecorded(meta(), unchanged, certificates(6));
    expect(titles()).toEqual([
      'provisioning certificate of domain vpro expires in 6 days',
    ]);
  });

  it('sends nothing when notifications or certificate notices are off', async () => {
    const { notifierWith, sent } = await setUp();
    await notifierWith({ enabled: false }).onRecorded(
      meta(),
      unchanged,
      certificates(6),
    );
    await notifierWith({ onCertificates: false }).onRecorded(
      meta(),
      unchanged,
      certificates(6),
    );
    expect(sent).toEqual([]);
  });
});
