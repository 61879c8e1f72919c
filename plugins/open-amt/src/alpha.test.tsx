import { screen, within } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import openAmtAlphaPlugin, {
  openAmtApi,
  openAmtDeploymentEntityContent,
  openAmtFleetPage,
  openAmtHealthEntityCard,
  openAmtProviderPickerFormField,
} from './alpha';
import { openAmtApiRef } from './api';
import { openAmtProviderPickerFormField as formField } from './components/OpenAmtProviderPicker/formField';
import { FakeOpenAmtApi } from './__testUtils__/FakeOpenAmtApi';
import {
  deploymentHealth,
  deploymentSummary,
  partEntity,
  plainEntity,
  systemEntity,
} from './__testUtils__/fixtures';

jest.setTimeout(30_000);

function fakeApi() {
  const api = new FakeOpenAmtApi();
  api.setHealth(deploymentHealth({ statuses: { gateway: 'degraded' } }));
  api.fleet = [deploymentSummary('prod-eu', 'degraded')];
  return api;
}

describe('open-amt alpha plugin', () => {
  it('is the open-amt plugin with every extension', () => {
    expect(openAmtAlphaPlugin.pluginId).toBe('open-amt');
    expect(openAmtAlphaPlugin.getExtension('api:open-amt')).toBeDefined();
    expect(
      openAmtAlphaPlugin.getExtension('entity-card:open-amt/health'),
    ).toBeDefined();
    expect(
      openAmtAlphaPlugin.getExtension('entity-content:open-amt/deployment'),
    ).toBeDefined();
    expect(openAmtAlphaPlugin.getExtension('page:open-amt')).toBeDefined();
    expect(
      openAmtAlphaPlugin.getExtension(
        'scaffolder-form-field:open-amt/provider-picker',
      ),
    ).toBeDefined();
  });

  it('provides the API client', () => {
    const factory = createExtensionTester(openAmtApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(openAmtApiRef.id);
    expect(Object.keys(factory.deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('offers the health card only on deployment entities, and renders it', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(openAmtHealthEntityCard, {
      apis: [
        [openAmtApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(systemEntity())).toBe(true);
    expect(filter(partEntity('rps'))).toBe(true);
    expect(filter(plainEntity)).toBe(false);

    await renderInTestApp(
      <EntityProvider entity={systemEntity()}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [openAmtApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ],
      },
    );
    const summary = await screen.findByTestId('deployment-summary');
    expect(within(summary).getByText('Degraded')).toBeInTheDocument();
    expect(screen.getByTestId('component-row-gateway')).toHaveTextContent(
      'Degraded',
    );
  });

  it('adds the Open AMT tab at /open-amt for deployment entities', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(openAmtDeploymentEntityContent, {
      apis: [[openAmtApiRef, api]],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/open-amt');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Open AMT');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(partEntity('gateway'))).toBe(true);
    expect(filter(plainEntity)).toBe(false);

    await renderInTestApp(
      <EntityProvider entity={systemEntity()}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [openAmtApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ],
      },
    );
    expect(await screen.findByText('Gateway drift')).toBeInTheDocument();
  });

  it('mounts the fleet page at /open-amt', async () => {
    const api = fakeApi();
    const tester = createExtensionTester(openAmtFleetPage, {
      apis: [[openAmtApiRef, api]],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/open-amt');
    // The new frontend system's sidebar lists only pages with a route ref, a title and an icon.
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
    expect(tester.get(coreExtensionData.title)).toBe('Open AMT');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();

    await renderInTestApp(tester.reactElement(), {
      apis: [[openAmtApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    // The page and material-table load lazily; give them more than the default second.
    expect(
      await screen.findByText('Deployment prod-eu', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Open AMT deployments')).toBeInTheDocument();
    // The page brings its own header; the framework's plugin header is switched off.
    expect(
      screen.queryByRole('heading', { level: 1, name: 'Open AMT' }),
    ).not.toBeInTheDocument();
  });

  it('provides the provider picker form field to the scaffolder', async () => {
    const tester = createExtensionTester(openAmtProviderPickerFormField);
    const loader = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    await expect(loader()).resolves.toBe(formField);
  });
});
