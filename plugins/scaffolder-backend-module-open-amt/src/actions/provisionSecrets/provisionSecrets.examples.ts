import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Provision the secrets of a Vault-backed deployment; the token comes from a Secret form field',
    example: yaml
      .stringify({
        steps: [
          {
            id: 'secrets',
            action: 'open-amt:secrets:provision',
            name: 'Provision secrets',
            input: {
              spec: '${{ parameters.spec }}',
            },
          },
        ],
      })
      .concat(
        '# the form has: vaultToken: { type: string, ui:field: Secret } → available to the action as ctx.secrets.vaultToken\n',
      ),
  },
  {
    description:
      'Rotate every secret of an AWS-backed deployment (Secrets Manager, KMS-encrypted)',
    example: yaml.stringify({
      steps: [
        {
          id: 'rotate',
          action: 'open-amt:secrets:provision',
          input: {
            rotate: true,
            spec: {
              name: 'amt-prod',
              owner: 'group:default/platform',
              fqdn: 'mps.example.com',
              target: 'eks',
              images: {
                mps: 'registry.example.com/oact-mps-aws:v2.13.21-1',
                rps: 'registry.example.com/oact-rps-aws:v2.22.14-1',
              },
              database: {
                provider: 'amazon-rds-postgresql',
                host: 'amt.cluster-abc.eu-west-1.rds.amazonaws.com',
              },
              secrets: {
                provider: 'aws-kms',
                region: 'eu-west-1',
                kmsKeyId: 'alias/open-amt',
              },
              gateway: {
                provider: 'aws-api-gateway',
                publicHost: 'amt.example.com',
                region: 'eu-west-1',
              },
            },
          },
        },
      ],
    }),
  },
];
