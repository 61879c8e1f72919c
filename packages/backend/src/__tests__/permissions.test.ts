/*
 * The permission model end to end, in the portal backend as `npm start` runs it, under the README's example
 * policy (openAmt.demo.permissionPolicy: open-amt-example): the guest (member of group guests) owns five
 * deployments and reads and refreshes those only; four others belong to another team. REST routes, the
 * fleet's paging, the actions through the MCP actions backend, audit events and live updates.
 */
import { OPEN_AMT_SIGNAL_CHANNEL } from '@open-amt-backstage/plugin-open-amt-common';
import {
  bearer,
  connectSignals,
  guestToken,
  mcp,
  OTHERS,
  OWN,
  serviceAuth,
  startMpsStandIn,
  waitFor,
  writePermissionFixture,
} from './__testUtils__/permissionFixture';
import { RunningBackend, startBackend } from './helpers/startBackend';

jest.setTimeout(240_000);

describe('permissions in the portal backend (example policy)', () => {
  let backend: RunningBackend;
  let mps: Awaited<ReturnType<typeof startMpsStandIn>>;
  let guest: Record<string, string>;
  const api = (p: string, init?: RequestInit) =>
    fetch(`${backend.baseUrl}/api/open-amt${p}`, {
      ...init,
      headers: { ...guest, ...(init?.headers ?? {}) },
    });

  beforeAll(async () => {
    mps = await startMpsStandIn();
    backend = await startBackend(
      ['app-config.yaml', writePermissionFixture(mps.url)],
      {},
    );
    // The guest's token carries its ownership refs (user + groups) as the catalog knows them at sign-in: sign
    // in once the catalog has stitched the guest's group membership.
    await waitFor(
      'the catalog knows the guest as a member of guests',
      async () => {
        const res = await fetch(
          `${backend.baseUrl}/api/catalog/entities/by-name/user/default/guest`,
          { headers: serviceAuth },
        );
        const user = res.ok ? await res.json() : undefined;
        return user?.relations?.some(
          (r: { type: string; targetRef: string }) =>
            r.type === 'memberOf' && r.targetRef === 'group:default/guests',
        )
          ? true
          : undefined;
      },
    );
    guest = bearer(await guestToken(backend));
    // Every deployment swept at least once (the fleet lists swept deployments).
    let last: unknown;
    await waitFor('the guest sees its five deployments', async () => {
      const page = await (await api('/deployments?pageSize=50')).json();
      last = page;
      return page.totalCount === OWN.length ? page : undefined;
    }).catch(error => {
      throw new Error(
        `${error.message}; last answer ${JSON.stringify(
          last,
        )}; backend log:\n${backend.log()}`,
      );
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await mps?.close();
  });

  it('lists only owned deployments, filtered before paging (totals, counts and every page)', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const body = await (
        await api(`/deployments?pageSize=2&page=${page}`)
      ).json();
      expect(body.totalCount).toBe(OWN.length);
      expect(
        Object.values(body.counts as Record<string, number>).reduce(
          (a, b) => a + b,
          0,
        ),
      ).toBe(OWN.length);
      seen.push(...body.items.map((i: { name: string }) => i.name));
    }
    expect(seen).toEqual(OWN);
    const filtered = await (await api('/deployments?q=perm-other')).json();
    expect(filtered).toMatchObject({ totalCount: 0, items: [] });
  });

  it("reads and refreshes an owned deployment; refuses another team's on every route", async () => {
    expect((await api(`/deployments/default/${OWN[0]}`)).status).toBe(200);
    expect((await api(`/deployments/default/${OWN[0]}/history`)).status).toBe(
      200,
    );
    const refreshed = await api(`/deployments/default/${OWN[0]}/refresh`, {
      method: 'POST',
    });
    expect(refreshed.status).toBe(200);
    expect((await refreshed.json()).accepted).toBe(true);

    expect((await api(`/deployments/default/${OTHERS[0]}`)).status).toBe(403);
    expect(
      (await api(`/deployments/default/${OTHERS[0]}/history`)).status,
    ).toBe(403);
    expect(
      (
        await api(`/deployments/default/${OTHERS[0]}/refresh`, {
          method: 'POST',
        })
      ).status,
    ).toBe(403);
  });

  it('audits refreshes: who, which deployment, allowed or refused', async () => {
    await waitFor('audit events in the log', async () =>
      backend.log().includes('deployment-refresh') ? true : undefined,
    );
    const auditLines = backend
      .log()
      .split('\n')
      .filter(l => l.includes('deployment-refresh'));
    expect(
      auditLines.some(
        l =>
          l.includes(`system:default/${OWN[0]}`) &&
          l.includes('user:default/guest'),
      ),
    ).toBe(true);
    expect(
      auditLines.some(
        l => l.includes(`system:default/${OTHERS[0]}`) && /fail/i.test(l),
      ),
    ).toBe(true);
  });

  it("serves the actions through the MCP actions backend with the caller's permissions", async () => {
    const unauthenticated = await mcp(backend, 'tools/list', {});
    expect(unauthenticated.status).toBe(401);

    const listed = await mcp(backend, 'tools/list', {}, guest);
    expect(listed.status).toBe(200);
    const tools = listed.body.result.tools as {
      name: string;
      annotations?: Record<string, boolean>;
    }[];
    const byName = (suffix: string) => tools.find(t => t.name.endsWith(suffix));
    for (const name of [
      'list-deployments',
      'get-deployment-health',
      'get-deployment-history',
      'refresh-deployment',
    ]) {
      expect(byName(name)).toBeDefined();
    }
    expect(byName('list-deployments')!.annotations).toMatchObject({
      readOnlyHint: true,
      idempotentHint: true,
    });
    expect(byName('refresh-deployment')!.annotations).toMatchObject({
      readOnlyHint: false,
    });

    const call = async (suffix: string, args: Record<string, unknown>) =>
      (
        await mcp(
          backend,
          'tools/call',
          { name: byName(suffix)!.name, arguments: args },
          guest,
        )
      ).body.result;

    const fleet = await call('list-deployments', { pageSize: 2 });
    const fleetOutput = JSON.parse(fleet.content[0].text);
    expect(fleetOutput.totalCount).toBe(OWN.length);
    expect(fleetOutput.items.map((i: { name: string }) => i.name)).toEqual(
      OWN.slice(0, 2),
    );

    const health = await call('get-deployment-health', {
      entityRef: `system:default/${OWN[1]}`,
    });
    expect(health.isError).toBeFalsy();
    expect(JSON.parse(health.content[0].text)).toMatchObject({
      entityRef: `system:default/${OWN[1]}`,
    });

    const history = await call('get-deployment-history', {
      entityRef: OWN[1],
      hours: 1,
    });
    expect(history.isError).toBeFalsy();
    expect(JSON.parse(history.content[0].text)).toHaveProperty(
      'transitionCount',
    );

    const refresh = await call('refresh-deployment', {
      entityRef: `system:default/${OWN[2]}`,
    });
    expect(refresh.isError).toBeFalsy();
    expect(JSON.parse(refresh.content[0].text).accepted).toBe(true);

    for (const [suffix, args] of [
      ['get-deployment-health', { entityRef: `system:default/${OTHERS[1]}` }],
      ['get-deployment-history', { entityRef: `system:default/${OTHERS[1]}` }],
      ['refresh-deployment', { entityRef: `system:default/${OTHERS[1]}` }],
    ] as const) {
      const refused = await call(suffix, args);
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toMatch(/permission|NotAllowed/i);
    }

    const bad = await call('get-deployment-health', {
      entityRef: 'component:default/x',
    });
    expect(bad.isError).toBe(true);
    expect(bad.content[0].text).toContain('entityRef');
  });

  it("sends live updates to owners only: the guest receives its deployments' changes and none of the others'", async () => {
    let stopChanging: (() => void) | undefined;
    const since = new Date().toISOString();
    const signals = await connectSignals(
      backend,
      guest.Authorization.slice('Bearer '.length),
      OPEN_AMT_SIGNAL_CHANNEL,
    );
    try {
      stopChanging = mps.keepChanging();
      mps.setHealthy(false);
      await waitFor('a signal for every owned deployment', async () => {
        const refs = new Set(signals.messages.map(m => m.message.entityRef));
        return OWN.every(n => refs.has(`system:default/${n}`))
          ? true
          : undefined;
      });
      // The other team's deployments changed in the same sweeps (same stand-in): the server saw them change ...
      const other = await fetch(
        `${backend.baseUrl}/api/open-amt/deployments/default/${OTHERS[0]}/history?from=${since}`,
        {
          headers: serviceAuth,
        },
      );
      expect((await other.json()).transitions.length).toBeGreaterThan(0);
      // ... and the guest received nothing about them.
      expect(
        signals.messages.filter(
          m => !OWN.some(n => m.message.entityRef === `system:default/${n}`),
        ),
      ).toEqual([]);
    } finally {
      signals.close();
      stopChanging?.();
    }
  });

  it('starts the events backend (no "events backend not found" warning)', () => {
    expect(backend.log()).not.toMatch(/events backend not found/);
  });
});
