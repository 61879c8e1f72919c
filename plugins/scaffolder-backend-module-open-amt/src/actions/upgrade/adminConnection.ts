/**
 * The administrator's connection to a deployment's databases, checked as open-amt:database:init checks it: the
 * password from a task secret, the server reachable, the CA the services verify with, the login accepted — each
 * failure names its field, before anything changes.
 */
import { Config } from '@backstage/config';
import { InputError, toError } from '@backstage/errors';
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import {
  DatabaseLoginError,
  databaseTargetFromSpec,
  type DatabaseCredentials,
  type DatabaseTarget,
} from '@open-amt-backstage/plugin-open-amt-node';
import { databaseRendererOf } from '../../render/providers';
import { resolveStoreAuth, StoreAuthResolver } from '../../secrets/storeAuth';
import {
  databaseCaSource,
  readDatabaseCa,
} from '../initDatabase/databaseTrust';
import { explainLoginFailure } from '../initDatabase/loginFailure';
import { assertTcpReachable } from '../reachability';

export async function adminConnection(
  spec: DeploymentSpec,
  secrets: Record<string, string> | undefined,
  secretName: string,
  options: { config?: Config; resolveStoreAuth?: StoreAuthResolver },
  warn: (message: string) => void,
): Promise<{ target: DatabaseTarget; admin: DatabaseCredentials }> {
  // An empty string is a (weak but real) password, e.g. a local MariaDB root; only absence is an error.
  const password = secrets?.[secretName];
  if (password === undefined)
    throw new InputError(
      `secrets.${secretName} is required: the database administrator password, as a task secret (ui:field Secret)`,
    );
  const renderer = databaseRendererOf(spec);
  const target = databaseTargetFromSpec(
    spec.database,
    renderer.info.defaultPort,
    spec.toolkitRelease,
  );
  const timeoutMs =
    options.config?.getOptionalNumber('openAmt.scaffolder.timeoutMs') ?? 30_000;
  try {
    await assertTcpReachable(
      target.host,
      target.port,
      Math.min(timeoutMs, 10_000),
    );
  } catch (error) {
    throw new InputError(
      `Host (spec.database.host): the database server at ${target.host}:${
        target.port
      } cannot be reached: ${toError(error).message}`,
    );
  }
  // The store is asked only when the deployment verifies its database with a CA kept there.
  const ca = databaseCaSource(spec)
    ? await readDatabaseCa(
        spec,
        (options.resolveStoreAuth ?? resolveStoreAuth)(
          spec,
          secrets ?? {},
          options.config,
        ),
      )
    : undefined;
  const verified = ca ? { ...target, ca } : target;
  const admin = { user: spec.database.adminUser, password };
  if (renderer.adapter.checkAdminLogin) {
    await renderer.adapter
      .checkAdminLogin(verified, admin)
      .catch((error: unknown) => {
        throw error instanceof DatabaseLoginError
          ? explainLoginFailure(spec, target.port, error)
          : error;
      });
  } else {
    warn(
      `The ${spec.database.provider} adapter has no login check: the administrator login is tried when the migration starts`,
    );
  }
  return { target: verified, admin };
}
