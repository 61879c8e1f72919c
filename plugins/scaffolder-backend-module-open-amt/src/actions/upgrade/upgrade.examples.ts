import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Upgrade the chosen deployment to a newer toolkit release (databases migrated, files re-rendered), then open a pull request with its plan and restart order',
    example: yaml.stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'open-amt:deployment:upgrade',
          input: {
            entityRef: '${{ parameters.deployment }}',
            targetRelease: '${{ parameters.targetRelease }}',
            adminPasswordSecret: 'databaseAdminPassword',
          },
        },
        {
          id: 'pull-request',
          action: 'publish:github:pull-request',
          input: {
            repoUrl: '${{ parameters.repoUrl }}',
            branchName: '${{ steps.upgrade.output.branchName }}',
            title: '${{ steps.upgrade.output.title }}',
            description: '${{ steps.upgrade.output.description }}',
          },
        },
      ],
    }),
  },
];
