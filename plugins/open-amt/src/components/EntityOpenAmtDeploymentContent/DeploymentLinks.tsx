import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link } from '@backstage/core-components';
import { ProviderSummary } from '@open-amt-backstage/plugin-open-amt-common';
import { RunbookLocation } from '../../lib/runbook';
import { SupportLevelChip } from '../shared';

function RunbookText(props: { runbook?: RunbookLocation }) {
  if (props.runbook?.kind === 'url') {
    return (
      <Link to={props.runbook.url}>README.md of the deployment repository</Link>
    );
  }
  if (props.runbook?.kind === 'file') {
    // The catalog read the deployment from disk (demo portal): a browser cannot open file: links.
    return (
      <>
        README.md beside the catalog file: <code>{props.runbook.path}</code>
      </>
    );
  }
  return <>No source location recorded for this entity.</>;
}

/** The generated runbook and each chosen provider's console and documentation. */
export function DeploymentLinks(props: {
  runbook?: RunbookLocation;
  providers: ProviderSummary[];
}) {
  return (
    <InfoCard title="Runbook and consoles">
      <List dense>
        <ListItem>
          <ListItemText
            primary="Runbook"
            secondary={<RunbookText runbook={props.runbook} />}
          />
        </ListItem>
        {props.providers.map(provider => (
          <ListItem key={`${provider.kind}-${provider.id}`}>
            <ListItemText
              primary={
                <>
                  {provider.label}{' '}
                  <SupportLevelChip level={provider.supportLevel} />
                </>
              }
              secondary={
                <>
                  {provider.consoleUrl ? (
                    <Link to={provider.consoleUrl}>
                      Open the {provider.label} console
                    </Link>
                  ) : (
                    'No hosted console (self-managed).'
                  )}
                  {' · '}
                  <Link to={provider.docsUrl}>Documentation</Link>
                </>
              }
            />
          </ListItem>
        ))}
      </List>
      {props.providers.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No provider recorded yet.
        </Typography>
      )}
    </InfoCard>
  );
}
