import {
  AWS_SDK_ENV_PREFIXES,
  AZURE_SDK_ENV_PREFIXES,
  restoreSdkEnvironment,
} from './sdkEnvironment';

describe('restoreSdkEnvironment', () => {
  it("gives the SDK its upper-case names back from upstream's lower-cased environment, as strings", () => {
    const env: Record<string, unknown> = {
      aws_web_identity_token_file: '/var/run/secrets/eks/token',
      aws_role_arn: 'arn:aws:iam::123456789012:role/open-amt',
      aws_max_attempts: 3,
      aws_ec2_metadata_disabled: true,
      aws_session_token: NaN,
      mps_aws_region: 'eu-west-1',
      AWS_REGION: 'us-east-1',
      aws_region: 'eu-west-1',
    };
    expect(restoreSdkEnvironment(env, AWS_SDK_ENV_PREFIXES).sort()).toEqual([
      'AWS_EC2_METADATA_DISABLED',
      'AWS_MAX_ATTEMPTS',
      'AWS_ROLE_ARN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ]);
    expect(env).toMatchObject({
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks/token',
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/open-amt',
      AWS_MAX_ATTEMPTS: '3',
      AWS_EC2_METADATA_DISABLED: 'true',
      // An upper-case name already set wins; parseValue's NaN (an empty value) is not passed on; service keys stay.
      AWS_REGION: 'us-east-1',
    });
    expect(env).not.toHaveProperty('AWS_SESSION_TOKEN');
    expect(env).not.toHaveProperty('MPS_AWS_REGION');
  });

  it('gives the Azure SDK its workload and managed identity names back, and nothing of the other cloud', () => {
    const env: Record<string, unknown> = {
      azure_client_id: '00000000-0000-0000-0000-000000000001',
      azure_tenant_id: '00000000-0000-0000-0000-000000000002',
      azure_federated_token_file:
        '/var/run/secrets/azure/tokens/azure-identity-token',
      azure_authority_host: 'https://login.microsoftonline.com/',
      identity_endpoint: 'http://localhost:42356/msi/token',
      identity_header: 'h',
      aws_role_arn: 'arn:aws:iam::123456789012:role/open-amt',
    };
    expect(restoreSdkEnvironment(env, AZURE_SDK_ENV_PREFIXES).sort()).toEqual([
      'AZURE_AUTHORITY_HOST',
      'AZURE_CLIENT_ID',
      'AZURE_FEDERATED_TOKEN_FILE',
      'AZURE_TENANT_ID',
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
    ]);
    expect(env).not.toHaveProperty('AWS_ROLE_ARN');
  });
});
