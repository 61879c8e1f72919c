import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { readHealthConfig } from '../config';
import { createHealthServices } from '../services/createHealthServices';
import { ProbeAdapters } from '../services/HealthEngine/DeploymentProber';
import { HealthNotifier } from '../services/HealthNotifier/HealthNotifier';

/** An engine wired like the plugin does it, on a given database and catalog (test-only). */
export async function createTestEngine(options: {
  database: DatabaseService;
  entities: Entity[];
  health?: Record<string, unknown>;
  adapters?: ProbeAdapters;
  signals?: ConstructorParameters<typeof HealthNotifier>[0]['signals'];
  notifications?: ConstructorParameters<
    typeof HealthNotifier
  >[0]['notifications'];
  random?: () => number;
}) {
  const config = readHealthConfig(
    new ConfigReader({
      openAmt: {
        health: {
          allowedHosts: ['127.0.0.1'],
          jitterMs: 0,
          timeoutMs: 2000,
          ...options.health,
        },
      },
    }),
  );
  const logger = mockServices.logger.mock();
  const catalog = catalogServiceMock({ entities: options.entities });
  const services = await createHealthServices({
    config,
    logger,
    database: options.database,
    auth: mockServices.auth(),
    catalog,
    adapters: options.adapters,
    signals: options.signals,
    notifications: options.notifications,
    random: options.random,
  });
  return { ...services, config, logger, catalog };
}
