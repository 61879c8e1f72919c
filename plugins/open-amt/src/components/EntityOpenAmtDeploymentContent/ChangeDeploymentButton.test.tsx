import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  OPEN_AMT_ANNOTATIONS,
  parseDeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import { scaffolderTemplateRouteRef } from '../../routes';
import { partEntity, systemEntity } from '../../__testUtils__/fixtures';
import { ChangeDeploymentButton } from './ChangeDeploymentButton';

/** A spec as the renderer records it on the System: parsed, defaults filled in. */
const recorded = parseDeploymentSpec({
  name: 'prod-eu',
  owner: 'group:default/platform',
  fqdn: 'mps.example.com',
  target: 'aks',
  replicas: { mps: 3 },
  database: { provider: 'postgresql', host: 'db.example.com' },
  secrets: { provider: 'vault', address: 'https://vault.example.com:8200' },
  gateway: { provider: 'kong', publicHost: 'amt.example.com' },
});

const withSpec = systemEntity({
  annotations: {
    [OPEN_AMT_ANNOTATIONS.deploymentSpec]: JSON.stringify(recorded),
  },
});

async function render(entity: Entity, bound = true) {
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <ChangeDeploymentButton />
    </EntityProvider>,
    bound
      ? {
          mountedRoutes: {
            '/create/templates/:namespace/:templateName':
              scaffolderTemplateRouteRef,
          },
        }
      : undefined,
  );
}

describe('ChangeDeploymentButton', () => {
  it("links to the production template's wizard with the form pre-filled from the recorded spec, in change mode", async () => {
    await render(withSpec);
    // LinkButton: an anchor with the button role.
    const link = screen.getByRole('button', { name: /Change this deployment/ });
    expect(link.tagName).toBe('A');
    const url = new URL(link.getAttribute('href')!, 'http://portal');
    expect(url.pathname).toBe('/create/templates/default/open-amt-production');
    const formData = JSON.parse(url.searchParams.get('formData')!);
    expect(formData).toMatchObject({
      changeOf: 'system:default/prod-eu',
      name: 'prod-eu',
      target: 'aks',
      namespace: 'open-amt',
      replicas: { mps: 3, rps: 2, mpsrouter: 2, webui: 1 },
      images: { ownImages: false },
      database: { provider: 'postgresql', host: 'db.example.com' },
      secrets: { provider: 'vault', mount: 'kv', pathPrefix: 'open-amt' },
    });
  });

  it('is disabled, saying why, for a System without a recorded spec', async () => {
    await render(systemEntity());
    expect(
      screen.getByRole('button', { name: /Change this deployment/ }),
    ).toBeDisabled();
    expect(document.querySelector('a')).toBeNull();
    expect(
      screen.getByText(
        new RegExp(`prod-eu has no ${OPEN_AMT_ANNOTATIONS.deploymentSpec}`),
      ),
    ).toBeInTheDocument();
  });

  it("is disabled on a deployment's part", async () => {
    await render(partEntity('mps'));
    expect(
      screen.getByRole('button', { name: /Change this deployment/ }),
    ).toBeDisabled();
    expect(
      screen.getByText(/changed from its System's page/),
    ).toBeInTheDocument();
  });

  it('is disabled in a portal without the scaffolder route', async () => {
    await render(withSpec, false);
    expect(
      screen.getByRole('button', { name: /Change this deployment/ }),
    ).toBeDisabled();
    expect(screen.getByText(/no scaffolder route/)).toBeInTheDocument();
  });
});
