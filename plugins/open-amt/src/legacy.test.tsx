/*
 * The README's legacy frontend system snippets ("Installing the plugins"), rendered as written there: the card
 * in an EntitySwitch case, the tab as an EntityLayout.Route, and the fleet page on its own route. (The
 * ScaffolderFieldExtensions snippet: OpenAmtProviderPicker.test.tsx, "registers with the scaffolder …".)
 */
import { screen } from '@testing-library/react';
import { Grid } from '@material-ui/core';
import { Route, Routes } from 'react-router-dom';
import {
  catalogPlugin,
  EntityLayout,
  EntitySwitch,
} from '@backstage/plugin-catalog';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
  starredEntitiesApiRef,
  MockStarredEntitiesApi,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityOpenAmtDeploymentContent,
  EntityOpenAmtHealthCard,
  isOpenAmtDeploymentAvailable,
  OpenAmtFleetPage,
} from './index';
import { openAmtApiRef } from './api';
import { FakeOpenAmtApi } from './__testUtils__/FakeOpenAmtApi';
import {
  deploymentHealth,
  deploymentSummary,
  plainEntity,
  systemEntity,
} from './__testUtils__/fixtures';

jest.setTimeout(30_000);

function fakeApi() {
  const api = new FakeOpenAmtApi();
  api.setHealth(deploymentHealth());
  api.fleet = [deploymentSummary('prod-eu', 'healthy')];
  return api;
}

function renderLegacy(element: JSX.Element, path = '/') {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [openAmtApiRef, fakeApi()],
        [permissionApiRef, mockApis.permission()],
        [catalogApiRef, catalogApiMock()],
        [starredEntitiesApiRef, new MockStarredEntitiesApi()],
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: {
        '/catalog': catalogPlugin.routes.catalogIndex,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

// README: EntityPage.tsx, the card on the overview.
const cardSnippet = (entity: Entity) => (
  <EntityProvider entity={entity}>
    <EntitySwitch>
      <EntitySwitch.Case if={isOpenAmtDeploymentAvailable}>
        <Grid item md={6} xs={12}>
          <EntityOpenAmtHealthCard />
        </Grid>
      </EntitySwitch.Case>
    </EntitySwitch>
  </EntityProvider>
);

// README: EntityPage.tsx, the tab on systems and components.
const tabSnippet = (entity: Entity) => (
  <EntityProvider entity={entity}>
    <EntityLayout>
      <EntityLayout.Route path="/" title="Overview">
        <div>overview</div>
      </EntityLayout.Route>
      <EntityLayout.Route
        path="/open-amt"
        title="Open AMT"
        if={isOpenAmtDeploymentAvailable}
      >
        <EntityOpenAmtDeploymentContent />
      </EntityLayout.Route>
    </EntityLayout>
  </EntityProvider>
);

describe("the README's legacy frontend snippets", () => {
  it('shows the health card in the EntitySwitch case on a deployment', async () => {
    await renderLegacy(cardSnippet(systemEntity()));
    expect(await screen.findByTestId('deployment-summary')).toBeVisible();
  });

  it('shows no health card on an entity that is not a deployment', async () => {
    await renderLegacy(cardSnippet(plainEntity));
    // Without the case, the card would explain its missing annotation here.
    expect(screen.queryByText('Open AMT health')).toBeNull();
    expect(screen.queryByText(/Missing Annotation/i)).toBeNull();
  });

  it('adds the Open AMT tab through EntityLayout.Route on a deployment only', async () => {
    await renderLegacy(tabSnippet(systemEntity()), '/open-amt');
    expect(screen.getByRole('tab', { name: 'Open AMT' })).toBeInTheDocument();
    expect(
      await screen.findByText('Gateway drift', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });

  it('has no Open AMT tab on an entity that is not a deployment', async () => {
    await renderLegacy(tabSnippet(plainEntity));
    expect(screen.getByRole('tab', { name: 'Overview' })).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Open AMT' })).toBeNull();
  });

  it('mounts the fleet page on the /open-amt route', async () => {
    await renderLegacy(
      <Routes>
        <Route path="/open-amt" element={<OpenAmtFleetPage />} />
      </Routes>,
      '/open-amt',
    );
    expect(
      await screen.findByText('Deployment prod-eu', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });
});
