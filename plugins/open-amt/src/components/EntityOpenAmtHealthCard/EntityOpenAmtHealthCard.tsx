import { useEffect } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { OPEN_AMT_ANNOTATIONS } from '@open-amt-backstage/plugin-open-amt-common';
import { componentIdOf, deploymentRefOf, isSimulated } from '../../lib/entity';
import { markCardPaintedAfterNextFrame } from '../../lib/perf';
import { releaseDescription, toolkitReleaseOf } from '../../lib/release';
import { isStale } from '../../lib/stale';
import { useDeploymentHealth } from '../../hooks/useDeploymentHealth';
import { useOpenAmtConfig } from '../../hooks/useOpenAmtConfig';
import { ComponentHealthTable } from '../ComponentHealthTable';
import { HealthStatus } from '../HealthStatus';
import { DevicesLine } from './DevicesLine';
import { HealthCardSkeleton } from './HealthCardSkeleton';
import {
  LastChecked,
  RefreshButton,
  ReleaseDrift,
  SimulatedChip,
  StaleNotice,
} from '../shared';

/**
 * The deployment's health on an entity overview: on the System itself, and on each of its
 * Components/Resources (the card then marks that entity's row).
 */
export function EntityOpenAmtHealthCard() {
  const { entity } = useEntity();
  const deployment = deploymentRefOf(entity);
  const { loading, error, health, retry } = useDeploymentHealth(deployment);
  const { probeIntervalSeconds } = useOpenAmtConfig();

  useEffect(() => {
    if (health) return markCardPaintedAfterNextFrame();
    return undefined;
  }, [health]);

  if (!deployment) {
    return (
      <MissingAnnotationEmptyState
        annotation={OPEN_AMT_ANNOTATIONS.deployment}
      />
    );
  }

  const title = 'Open AMT health';
  const action = <RefreshButton deployment={deployment} onRefreshed={retry} />;

  if (loading) {
    return (
      <InfoCard title={title}>
        <HealthCardSkeleton deploymentName={deployment.name} />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard title={title} action={action}>
        <ResponseErrorPanel
          error={error}
          title="Could not load the deployment's health"
        />
      </InfoCard>
    );
  }

  if (!health) {
    return (
      <InfoCard title={title} action={action}>
        <HealthStatus status="unknown" label="Not checked yet" />
        <Typography variant="body2" color="textSecondary">
          The health engine has not probed deployment {deployment.name} yet;
          results appear here after its first run.
        </Typography>
      </InfoCard>
    );
  }

  const intervalSeconds = health.intervalSeconds ?? probeIntervalSeconds;
  const stale = isStale(health.checkedAt, intervalSeconds);
  const simulated = health.simulated || isSimulated(entity);
  const release = toolkitReleaseOf(entity, health.components);

  return (
    <InfoCard
      title={title}
      subheader={
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
          component="span"
          data-testid="deployment-summary"
        >
          <span>Deployment {health.title ?? health.name}:</span>
          <HealthStatus status={health.status} />
          {simulated && <SimulatedChip />}
          {release && (
            <Typography
              variant="caption"
              component="span"
              title={releaseDescription(release)}
              data-testid="toolkit-release"
            >
              toolkit {release}
            </Typography>
          )}
          {health.checkedAt && (
            <Typography variant="caption" component="span">
              checked <LastChecked at={health.checkedAt} />
            </Typography>
          )}
        </Box>
      }
      action={action}
    >
      {stale && health.checkedAt && (
        <StaleNotice
          checkedAt={health.checkedAt}
          intervalSeconds={intervalSeconds}
        />
      )}
      {health.drift && (
        <Box mb={1}>
          <ReleaseDrift drift={health.drift} />
        </Box>
      )}
      <DevicesLine
        devices={health.components.find(c => c.component === 'devices')}
      />
      <ComponentHealthTable
        components={health.components}
        highlight={componentIdOf(entity)}
      />
    </InfoCard>
  );
}
