import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  ProviderSummary,
  TOOLKIT_RELEASES,
} from '@open-amt-backstage/plugin-open-amt-common';
import { SupportLevelChip } from '../shared';

/** The release's upstream images the repository builds FROM, when the portal knows the release. */
function baseImages(releaseId?: string): string | undefined {
  const release = TOOLKIT_RELEASES.find(r => r.id === releaseId);
  return release
    ? ` (built FROM ${release.components.mps.image} and ${release.components.rps.image}, toolkit ${release.id})`
    : undefined;
}

/**
 * The kit-level choices of a deployment: the providers this project supplies, the MPS/RPS images the deployment's
 * repository builds with them, and how far each provider is verified.
 */
export function ProviderKitCard(props: {
  providers: ProviderSummary[];
  /** The deployment's toolkit release id, for the images the repository builds from. */
  toolkitRelease?: string;
}) {
  const kit = props.providers.filter(p => p.supportLevel === 'kit');
  return (
    <InfoCard title="Provider kit">
      {kit.length === 0 ? (
        <Typography variant="body2">
          No choice needs the provider kit: the upstream MPS and RPS images run
          every choice as they are.
        </Typography>
      ) : (
        <>
          <Typography variant="body2" data-testid="provider-kit-images">
            This project supplies the providers below; your deployment
            repository builds them into its MPS and RPS images
            {baseImages(props.toolkitRelease) ?? ''} with one command,
            scripts/build-images.sh (or its CI workflow). The images must be in
            your registry before MPS and RPS start; the runbook lists what is
            left by hand.
          </Typography>
          <List dense>
            {kit.map(p => (
              <ListItem
                key={`${p.kind}-${p.id}`}
                data-testid={`provider-kit-${p.id}`}
              >
                <ListItemText
                  primary={
                    <>
                      {p.label} <SupportLevelChip level={p.supportLevel} />
                    </>
                  }
                  secondaryTypographyProps={{ component: 'div' }}
                  secondary={
                    <>
                      <div>{p.implication}</div>
                      {p.limitation && (
                        <Typography
                          variant="body2"
                          color="error"
                          component="div"
                        >
                          {p.limitation}
                        </Typography>
                      )}
                      {p.notVerified && (
                        <div>Not verified: {p.notVerified}</div>
                      )}
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
}
