import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render a Kubernetes (AKS) deployment with Azure Database for PostgreSQL, Vault and Kong',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'open-amt:deployment:render',
          name: 'Render the deployment',
          input: {
            spec: {
              name: 'amt-prod',
              owner: 'group:default/platform',
              environment: 'production',
              fqdn: 'mps.example.com',
              target: 'aks',
              database: {
                provider: 'azure-postgresql',
                host: 'amt-prod.postgres.database.azure.com',
                tlsMode: 'verify-full',
              },
              secrets: {
                provider: 'vault',
                address: 'https://vault.example.com:8200',
                mount: 'kv',
              },
              gateway: { provider: 'kong', publicHost: 'amt.example.com' },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a Docker Compose deployment with MariaDB (images built with the provider kit), AWS and Amazon API Gateway',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'open-amt:deployment:render',
          input: {
            targetPath: 'deployment',
            spec: {
              name: 'amt-edge',
              owner: 'group:default/platform',
              fqdn: 'mps.edge.example.com',
              target: 'compose',
              // MariaDB is a provider-kit row: the repository builds MPS and RPS and pushes them here.
              images: { registry: 'ghcr.io/example-org' },
              database: { provider: 'mariadb', host: 'db.edge.example.com' },
              secrets: {
                provider: 'aws-kms',
                region: 'eu-west-1',
                kmsKeyId: 'alias/open-amt',
              },
              gateway: {
                provider: 'aws-api-gateway',
                publicHost: 'amt.edge.example.com',
                region: 'eu-west-1',
              },
            },
          },
        },
      ],
    }),
  },
];
