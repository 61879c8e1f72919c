import { ReactNode } from 'react';
import { Entity } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { openAmtApiRef } from '../api';
import { FakeOpenAmtApi } from './FakeOpenAmtApi';
import { FakeSignalApi } from './FakeSignalApi';

export interface RenderOptions {
  api: FakeOpenAmtApi;
  entity?: Entity;
  /**
   * Whether the user holds open-amt.deployment.refresh on the entity's System (a resource permission: asked
   * without that resourceRef, the answer is DENY).
   */
  canRefresh?: boolean;
  signals?: FakeSignalApi;
  config?: Record<string, any>;
}

/** renderInTestApp with the Open AMT API, permissions, config and (optionally) signals and an entity. */
export function renderWithApis(element: ReactNode, options: RenderOptions) {
  const apis: [any, any][] = [
    [openAmtApiRef, options.api],
    [
      permissionApiRef,
      mockApis.permission({
        authorize: request => {
          if (options.canRefresh === false) return AuthorizeResult.DENY;
          const entityRef = options.entity
            ? `system:${options.entity.metadata.namespace ?? 'default'}/${
                options.entity.metadata.name
              }`
            : undefined;
          return 'resourceRef' in request && request.resourceRef === entityRef
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY;
        },
      }),
    ],
    [configApiRef, mockApis.config({ data: options.config ?? {} })],
  ];
  if (options.signals) apis.push([signalApiRef, options.signals]);
  return renderInTestApp(
    <TestApiProvider apis={apis}>
      {options.entity ? (
        <EntityProvider entity={options.entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
