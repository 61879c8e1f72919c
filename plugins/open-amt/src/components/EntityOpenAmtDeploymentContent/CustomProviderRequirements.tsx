import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { ProviderInfo } from '@open-amt-backstage/plugin-open-amt-common';
import { SupportLevelChip } from '../shared';

/** What a custom-level choice still requires of the operator before the deployment can run. */
export function CustomProviderRequirements(props: {
  providers: ProviderInfo[];
}) {
  const custom = props.providers.filter(p => p.supportLevel === 'custom');
  return (
    <InfoCard title="Still required for custom providers">
      {custom.length === 0 ? (
        <Typography variant="body2">
          Every choice is native: the upstream MPS and RPS images run with them
          as they are.
        </Typography>
      ) : (
        <List dense>
          {custom.map(p => (
            <ListItem key={`${p.kind}-${p.id}`}>
              <ListItemText
                primary={
                  <>
                    {p.label} <SupportLevelChip level={p.supportLevel} />
                  </>
                }
                secondary={p.implication}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
