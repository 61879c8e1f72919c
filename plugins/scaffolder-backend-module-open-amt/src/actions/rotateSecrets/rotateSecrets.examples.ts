import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Rotate every secret of a deployment; the store token and the database administrator password come from Secret form fields',
    example: yaml
      .stringify({
        steps: [
          {
            id: 'rotate',
            action: 'open-amt:secrets:rotate',
            name: 'Rotate secrets',
            input: {
              deployment: '${{ parameters.deployment }}',
              databaseAdminUser: '${{ parameters.databaseAdminUser }}',
            },
          },
        ],
      })
      .concat(
        '# the form has: vaultToken and databaseAdminPassword { type: string, ui:field: Secret } → ctx.secrets\n',
      ),
  },
  {
    description:
      'Rotate only the JWT secret and the web admin password (no database change) of a Kubernetes deployment',
    example: yaml.stringify({
      steps: [
        {
          id: 'rotate',
          action: 'open-amt:secrets:rotate',
          input: {
            deployment: 'system:default/amt-prod',
            rotate: ['jwt', 'mpsweb'],
            namespace: 'open-amt',
          },
        },
      ],
    }),
  },
];
