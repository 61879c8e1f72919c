import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import EditIcon from '@material-ui/icons/Edit';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { LinkButton } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  changeFormDataOf,
  recordedSpecOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { scaffolderTemplateRouteRef } from '../../routes';

/** The template that renders deployments; its form takes changeOf (templates/open-amt-production/template.yaml). */
export const CHANGE_TEMPLATE = {
  namespace: 'default',
  templateName: 'open-amt-production',
};

/** The wizard link, or why there is none. */
function changeLink(
  entity: Entity,
  templatePage: ((p: typeof CHANGE_TEMPLATE) => string) | undefined,
): { href: string } | { reason: string } {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'system')
    return {
      reason:
        "A deployment is changed from its System's page, which holds the spec it was rendered from.",
    };
  if (!templatePage)
    return {
      reason:
        "This portal has no scaffolder route bound for the open-amt plugin's scaffolderTemplate.",
    };
  let recorded;
  try {
    recorded = recordedSpecOf(entity);
  } catch (error) {
    return { reason: (error as Error).message };
  }
  // The scaffolder's wizard reads ?formData=<json> as its initial form data.
  const formData = changeFormDataOf(stringifyEntityRef(entity), recorded);
  return {
    href: `${templatePage(CHANGE_TEMPLATE)}?${new URLSearchParams({
      formData: JSON.stringify(formData),
    })}`,
  };
}

/**
 * "Change this deployment": the production template's wizard with its form pre-filled from the spec the System
 * recorded, in change mode (the run diffs against that spec and opens a pull request). Disabled, with the reason,
 * for a System without a recorded spec.
 */
export function ChangeDeploymentButton() {
  const { entity } = useEntity();
  const templatePage = useRouteRef(scaffolderTemplateRouteRef);
  const link = changeLink(entity, templatePage);
  return (
    <Box display="flex" alignItems="center" mt={2} style={{ gap: 8 }}>
      {'href' in link ? (
        <LinkButton
          to={link.href}
          variant="outlined"
          color="primary"
          startIcon={<EditIcon />}
        >
          Change this deployment
        </LinkButton>
      ) : (
        <>
          <Button variant="outlined" disabled startIcon={<EditIcon />}>
            Change this deployment
          </Button>
          <Typography variant="caption" color="textSecondary">
            {link.reason}
          </Typography>
        </>
      )}
    </Box>
  );
}
