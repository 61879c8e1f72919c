/*
 * The demo portal's backend: a plain Backstage backend (new backend system) that installs the Open AMT
 * plugins exactly as an adopter would. Embedded defaults: better-sqlite3 in memory, guest sign-in,
 * allow-all permission policy (local use only: see README "Permissions").
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider, for local use.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Permissions: allow-all, so a local user may read and refresh every deployment. Replace it with your own
// policy in production (https://backstage.io/docs/permissions/writing-a-policy).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@backstage/plugin-permission-backend-module-allow-all-policy'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Open AMT: health engine + REST API, and the scaffolder actions.
backend.add(import('@open-amt-backstage/plugin-open-amt-backend'));
backend.add(import('@open-amt-backstage/plugin-scaffolder-backend-module-open-amt'));

// Demo only: simulated endpoints for the example deployment when openAmt.demo.standInStack is true.
backend.add(import('./modules/demoStack'));

backend.start();
