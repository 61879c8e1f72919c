import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check the administrator login before any secret is written, then create databases, schema and users after provisioning the secrets (admin password from a Secret field)',
    example: yaml.stringify({
      steps: [
        {
          id: 'database-check',
          action: 'open-amt:database:init',
          if: '${{ parameters.initDatabase }}',
          input: {
            spec: '${{ parameters.spec }}',
            adminPasswordSecret: 'databaseAdminPassword',
            checkOnly: true,
          },
        },
        {
          id: 'secrets',
          action: 'open-amt:secrets:provision',
          input: { spec: '${{ parameters.spec }}' },
        },
        {
          id: 'database',
          action: 'open-amt:database:init',
          if: '${{ parameters.initDatabase }}',
          input: {
            spec: '${{ parameters.spec }}',
            adminPasswordSecret: 'databaseAdminPassword',
          },
        },
      ],
    }),
  },
];
