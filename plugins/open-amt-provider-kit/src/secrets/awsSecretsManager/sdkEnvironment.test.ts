import { restoreAwsEnvironment } from './sdkEnvironment';

describe('restoreAwsEnvironment', () => {
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
    expect(restoreAwsEnvironment(env).sort()).toEqual([
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
});
