/*
 * The demo portal's backend: a plain Backstage backend (new backend system) that installs the Open AMT
 * plugins exactly as an adopter would. Embedded defaults: better-sqlite3 in memory, guest sign-in,
 * allow-all permission policy unless openAmt.demo.permissionPolicy says `open-amt-example` (local use only:
 * see README "Permissions").
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider, for local use.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Permissions: allow-all by default, so a local user may read and refresh every deployment; or the README's
// example policy (owners read and refresh theirs, the platform team reads all) with
// openAmt.demo.permissionPolicy: open-amt-example. Replace it with your own policy in production
// (https://backstage.io/docs/permissions/writing-a-policy).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// Events: the bus signals travel on, shared by every replica through the database.
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// TechDocs: a scaffolded deployment's runbook (mkdocs.yml + docs/ beside its catalog-info.yaml) on its entity page.
backend.add(import('@backstage/plugin-techdocs-backend'));

// Actions registry over MCP: assistants list and call the plugins' actions (Open AMT's included) with the
// caller's own credentials; backend.actions.pluginSources in app-config.yaml says whose actions are served.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Open AMT: health engine + REST API, and the scaffolder actions.
backend.add(import('@open-amt-backstage/plugin-open-amt-backend'));
backend.add(
  import('@open-amt-backstage/plugin-scaffolder-backend-module-open-amt'),
);
// Demo only: the template's "publish locally" step, open-amt:publish:local, copies a scaffolded deployment into
// openAmt.scaffolder.localPublishDir, which this portal's catalog reads. Production portals publish to a repository.
backend.add(import('./modules/publishLocal'));
// Demo only: the catalog serves templates/open-amt-production with that step in place of the repository hosts
// (openAmt.demo.templateVariants), so the template runs here without GitHub, GitLab, Azure or Bitbucket modules.
backend.add(import('./modules/demoTemplate'));

// Demo only: simulated endpoints for the example deployment when openAmt.demo.standInStack is true.
backend.add(import('./modules/demoStack'));

backend.start();
