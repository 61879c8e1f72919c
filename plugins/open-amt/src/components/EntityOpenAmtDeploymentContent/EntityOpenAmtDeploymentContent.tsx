import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ComponentId,
  OPEN_AMT_ANNOTATIONS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { componentIdOf, deploymentRefOf, isSimulated } from '../../lib/entity';
import { chosenProviders } from '../../lib/labels';
import { toolkitReleaseOf } from '../../lib/release';
import { runbookLocationOf } from '../../lib/runbook';
import { isStale } from '../../lib/stale';
import { useDeploymentHealth } from '../../hooks/useDeploymentHealth';
import { useOpenAmtConfig } from '../../hooks/useOpenAmtConfig';
import { useProviderRegistry } from '../../hooks/useProviderRegistry';
import { ComponentHealthTable } from '../ComponentHealthTable';
import { HealthStatus } from '../HealthStatus';
import {
  LastChecked,
  RefreshButton,
  SimulatedChip,
  StaleNotice,
} from '../shared';
import { CertificatesPanel } from './CertificatesPanel';
import { ChangeDeploymentButton } from './ChangeDeploymentButton';
import { DeploymentLinks } from './DeploymentLinks';
import { DeploymentDriftPanel } from './DeploymentDriftPanel';
import { DriftDetails } from './DriftDetails';
import { HistoryPanel } from './HistoryPanel';
import { ProviderKitCard } from './ProviderKitCard';

/** The Open AMT tab: components, history and devices trend, certificates, gateway drift, runbook and consoles, the provider kit. */
export function EntityOpenAmtDeploymentContent() {
  const { entity } = useEntity();
  const deployment = deploymentRefOf(entity);
  const { loading, error, health, retry, updates } =
    useDeploymentHealth(deployment);
  const { probeIntervalSeconds } = useOpenAmtConfig();
  const registry = useProviderRegistry();

  if (!deployment) {
    return (
      <MissingAnnotationEmptyState
        annotation={OPEN_AMT_ANNOTATIONS.deployment}
      />
    );
  }
  if (loading) return <Progress />;
  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title="Could not load the deployment's health"
      />
    );
  }

  const intervalSeconds = health?.intervalSeconds ?? probeIntervalSeconds;
  const highlight = componentIdOf(entity);
  const rowOf = (id: ComponentId) =>
    health?.components.find(c => c.component === id);
  const providers = chosenProviders(entity, health?.components ?? [], registry);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title={`Deployment ${health?.title ?? deployment.name}`}
          subheader={
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
              component="span"
            >
              <HealthStatus
                status={health?.status ?? 'unknown'}
                label={health ? undefined : 'Not checked yet'}
              />
              {(health?.simulated || isSimulated(entity)) && <SimulatedChip />}
              {health?.checkedAt && (
                <Typography variant="caption" component="span">
                  checked <LastChecked at={health.checkedAt} />
                </Typography>
              )}
              <Typography
                variant="caption"
                component="span"
                color="textSecondary"
              >
                {updates.mode === 'signals'
                  ? 'live updates'
                  : `updates every ${updates.pollIntervalSeconds} s`}
              </Typography>
            </Box>
          }
          action={<RefreshButton deployment={deployment} onRefreshed={retry} />}
        >
          {health?.checkedAt && isStale(health.checkedAt, intervalSeconds) && (
            <StaleNotice
              checkedAt={health.checkedAt}
              intervalSeconds={intervalSeconds}
            />
          )}
          <ComponentHealthTable
            components={health?.components ?? []}
            highlight={highlight}
          />
          <ChangeDeploymentButton />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <DeploymentDriftPanel drift={health?.drift} />
      </Grid>
      <Grid item xs={12}>
        <HistoryPanel
          deployment={deployment}
          revision={health?.checkedAt}
          initialComponent={highlight}
          devices={rowOf('devices')}
        />
      </Grid>
      <Grid item xs={12}>
        <CertificatesPanel certificates={rowOf('certificates')} />
      </Grid>
      <Grid item xs={12} md={6}>
        <DriftDetails gateway={rowOf('gateway')} />
      </Grid>
      <Grid item xs={12} md={6}>
        <DeploymentLinks
          runbook={runbookLocationOf(entity)}
          providers={providers}
        />
      </Grid>
      <Grid item xs={12}>
        <ProviderKitCard
          providers={providers}
          toolkitRelease={toolkitReleaseOf(entity, health?.components ?? [])}
        />
      </Grid>
    </Grid>
  );
}
