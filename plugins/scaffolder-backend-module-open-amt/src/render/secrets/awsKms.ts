/**
 * AWS: values live in Secrets Manager, encrypted with the customer KMS key the user named. CloudFormation
 * (chosen over Terraform: no extra tool, one YAML file) defines least-privilege IAM policies — read for
 * the workloads (IRSA role / instance profile), write for the portal — bound to this deployment's
 * secret names and that key.
 */
import {
  AWS_KIT_CONFIG_KEYS,
  DeploymentSpec,
  isProviderSection,
  SECRETS_PROVIDERS,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  awsSecretName as adapterSecretName,
  secretStoreAdapters,
} from '@open-amt-backstage/plugin-open-amt-node';
import { databaseCaFile } from '../../secrets/databaseTls';
import { prefixedRuntimePath } from './prefixed';
import { secretEntryName, StoreEntry } from '../../secrets/entries';
import { RenderedFile } from '../types';
import { toYaml } from '../yaml';
import { flavourFor, identityVariable } from '../kubernetesFlavour';
import { SecretStoreRenderer } from './types';
import { jsonFromFiles } from './jsonFromFiles';

function awsSpec(spec: DeploymentSpec) {
  if (!isProviderSection(spec.secrets, 'aws-kms'))
    throw new Error('not an AWS spec');
  return spec.secrets;
}

const runtimeSecretsPath = (spec: DeploymentSpec) =>
  prefixedRuntimePath(spec, awsSpec(spec).prefix);

export function awsSecretName(spec: DeploymentSpec, kind: StoreEntry): string {
  // The adapter's naming: what the portal writes and readers read.
  return adapterSecretName(
    awsSpec(spec).prefix ?? '',
    secretEntryName(spec, kind),
  );
}

function keyArn(spec: DeploymentSpec): unknown {
  const { kmsKeyId } = awsSpec(spec);
  return kmsKeyId.startsWith('arn:')
    ? kmsKeyId
    : {
        'Fn::Sub': `arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${kmsKeyId}`,
      };
}

export function buildAwsSecretsStack(spec: DeploymentSpec) {
  const s = awsSpec(spec);
  const secretsArn = {
    'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${adapterSecretName(
      s.prefix ?? '',
      `${spec.name}-*`,
    )}`,
  };
  // The operator's CA bundle entry (spec.database.caCertSecret) is read too when the services verify with it.
  const caEntry = databaseCaFile(spec) && spec.database.caCertSecret;
  const readArns = caEntry
    ? [
        secretsArn,
        {
          'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${awsSecretName(
            spec,
            { name: caEntry },
          )}-*`,
        },
      ]
    : secretsArn;
  // Where MPS and RPS keep their runtime secrets (MPS_SECRETS_PATH): names starting with it.
  const runtimeArn = {
    'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${runtimeSecretsPath(
      spec,
    )}*`,
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Open AMT ${spec.name}: least-privilege access to its Secrets Manager entries (KMS key ${s.kmsKeyId})`,
    Resources: {
      ServicesWritePolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Description:
            'MPS and RPS: read their entries, create, update and delete their runtime secrets (devices, profiles, certificates)',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'secretsmanager:GetSecretValue',
                  'secretsmanager:DescribeSecret',
                ],
                Resource: readArns,
              },
              {
                Effect: 'Allow',
                Action: [
                  'secretsmanager:CreateSecret',
                  'secretsmanager:PutSecretValue',
                  'secretsmanager:UpdateSecret',
                  'secretsmanager:DeleteSecret',
                  // The kit's provider writes a path again while its secret is scheduled for deletion by restoring it.
                  'secretsmanager:RestoreSecret',
                  'secretsmanager:GetSecretValue',
                  'secretsmanager:DescribeSecret',
                  'secretsmanager:TagResource',
                ],
                Resource: runtimeArn,
              },
              {
                Effect: 'Allow',
                Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
                Resource: keyArn(spec),
              },
            ],
          },
        },
      },
      ReaderPolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Description:
            "External Secrets / the resolve script: read this deployment's entries",
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'secretsmanager:GetSecretValue',
                  'secretsmanager:DescribeSecret',
                ],
                Resource: readArns,
              },
              {
                Effect: 'Allow',
                Action: ['kms:Decrypt'],
                Resource: keyArn(spec),
              },
            ],
          },
        },
      },
      ProvisionerWritePolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Description:
            "Backstage portal: create and rotate this deployment's secrets",
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'secretsmanager:CreateSecret',
                  'secretsmanager:PutSecretValue',
                  'secretsmanager:GetSecretValue',
                  'secretsmanager:DescribeSecret',
                  'secretsmanager:TagResource',
                ],
                Resource: secretsArn,
              },
              {
                Effect: 'Allow',
                Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
                Resource: keyArn(spec),
              },
            ],
          },
        },
      },
    },
    Outputs: {
      ServicesWritePolicyArn: { Value: { Ref: 'ServicesWritePolicy' } },
      ReaderPolicyArn: { Value: { Ref: 'ReaderPolicy' } },
      ProvisionerWritePolicyArn: { Value: { Ref: 'ProvisionerWritePolicy' } },
    },
  };
}

export const awsKmsRenderer: SecretStoreRenderer = {
  info: SECRETS_PROVIDERS['aws-kms'],
  adapter: secretStoreAdapters['aws-kms'],
  bootstrapSteps(spec) {
    const isCompose = TARGETS[spec.target].platform === 'compose';
    return [
      {
        text: `Deploy \`secrets-store/aws/secrets-access.cfn.yaml\` and attach ServicesWritePolicy to the role MPS and RPS run as (${
          isCompose ? 'the VM instance profile' : 'IRSA of open-amt'
        }: they write their runtime secrets), ReaderPolicy to ${
          isCompose
            ? 'the identity the resolve script runs as'
            : 'the role of external-secrets'
        }, ProvisionerWritePolicy to the portal's role.`,
        commands: [
          `aws cloudformation deploy --region ${
            awsSpec(spec).region
          } --stack-name ${
            spec.name
          }-secrets-access --template-file secrets-store/aws/secrets-access.cfn.yaml --capabilities CAPABILITY_IAM`,
        ],
      },
    ];
  },
  // create-secret for a new entry; the operator rotates it with put-secret-value (same name, --secret-id).
  writeCommand: (spec, entry, files) => [
    `aws secretsmanager create-secret --region ${
      awsSpec(spec).region
    } --name ${awsSecretName(spec, entry)} --kms-key-id ${
      awsSpec(spec).kmsKeyId
    } --secret-string "$(${jsonFromFiles(files)})" >/dev/null`,
  ],
  address: spec =>
    awsSpec(spec).endpoint ??
    `https://secretsmanager.${awsSpec(spec).region}.amazonaws.com`,
  runtimeSecretsPath,
  // The kit's provider (not upstream) reads these: the SigV4 region and the key new runtime secrets are created with.
  serviceEnv: (spec, prefix) => [
    {
      name: `${prefix}_${AWS_KIT_CONFIG_KEYS.region.toUpperCase()}`,
      value: awsSpec(spec).region,
    },
    {
      name: `${prefix}_${AWS_KIT_CONFIG_KEYS.kmsKeyId.toUpperCase()}`,
      value: awsSpec(spec).kmsKeyId,
    },
  ],
  endpointAnnotation: spec =>
    `aws:${awsSpec(spec).region}/${awsSpec(spec).kmsKeyId}`,
  mountAnnotation: spec => awsSpec(spec).prefix,
  inputField: spec =>
    awsSpec(spec).endpoint ? 'spec.secrets.endpoint' : 'spec.secrets.region',
  bootstrap: (spec): RenderedFile[] => [
    {
      path: 'secrets-store/aws/secrets-access.cfn.yaml',
      content: toYaml(buildAwsSecretsStack(spec)),
    },
  ],
  externalSecretsProvider(spec) {
    return {
      aws: {
        service: 'SecretsManager',
        region: awsSpec(spec).region,
        auth: { jwt: { serviceAccountRef: { name: 'external-secrets' } } },
      },
    };
  },
  serviceAccountAnnotations: (spec, account) => ({
    'eks.amazonaws.com/role-arn': identityVariable(spec, account, 'ROLE_ARN'),
  }),
  identitySteps: spec => [
    ...(flavourFor(spec).federation === 'aws'
      ? []
      : [
          "This cluster is not EKS, so IAM does not trust its service accounts yet: register its service-account issuer as an IAM OIDC identity provider (audience `sts.amazonaws.com`; AWS must reach its discovery document) and install the Amazon EKS Pod Identity Webhook, which hands MPS and RPS their role's web identity token (External Secrets requests its own).",
        ]),
    `Create two IAM roles for service accounts: one for open-amt with ServicesWritePolicy (MPS and RPS write their runtime secrets) and one for external-secrets with ReaderPolicy, both from secrets-store/aws/secrets-access.cfn.yaml, trusting the cluster's OIDC provider for \`system:serviceaccount:${
      spec.namespace
    }:<name>\`; set their ARNs in kubernetes/serviceaccounts.yaml (${identityVariable(
      spec,
      'open-amt',
      'ROLE_ARN',
    )}, ${identityVariable(
      spec,
      'external-secrets',
      'ROLE_ARN',
    )}, e.g. with envsubst).`,
  ],
  remoteKey: awsSecretName,
  readCommand(spec, kind: StoreEntry) {
    return `aws secretsmanager get-secret-value --region ${
      awsSpec(spec).region
    } --secret-id ${awsSecretName(
      spec,
      kind,
    )} --query SecretString --output text`;
  },
};
