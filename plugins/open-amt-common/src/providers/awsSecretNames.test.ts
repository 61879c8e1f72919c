import {
  AWS_SECRET_NAME_MAX,
  awsRuntimeSecretName,
  awsSecretName,
  isAwsSecretName,
} from './awsSecretNames';

const SECRETS_PATH = 'open-amt-prod-';

/**
 * Every path shape MPS and RPS hand their secrets provider, with names their validators accept
 * (rps src/routes/admin/*Validator.ts at v2.22.14 and v2.39.4): AMT profile names match ^[a-zA-Z0-9$@$!%*#?&-_~^]+$,
 * where `&-_` is a range (& to _) that lets through / = \ ( ) : ; < > [ ] and more; CIRA and domain profiles
 * [a-zA-Z0-9_-]; wireless alphanumeric, 32 at most.
 */
const PATHS = [
  'devices/4c4c4544-004b-4210-8033-b6c04f504633',
  'MPSCerts',
  'profiles/acm-prod_1',
  'profiles/p$@!%*#?&',
  'profiles/a=b',
  'profiles/a$',
  'profiles/a=24',
  'profiles/~^[]\\()<>:;',
  'profiles/with/slash',
  'TLS/acm-prod_1',
  'CIRAConfigs/cira_config-1',
  'certs/domain_profile-1',
  'Wireless/home5G',
  'profiles/ü',
];

/** Checks a naming function the way the store relies on it; returns what is wrong. */
function namingIssues(name: (path: string) => string): string[] {
  const issues: string[] = [];
  const seen = new Map<string, string>();
  for (const path of PATHS) {
    const n = name(path);
    if (!isAwsSecretName(n)) issues.push(`${path} -> ${n}: not a valid name`);
    if (!n.startsWith(SECRETS_PATH))
      issues.push(`${path} -> ${n}: outside the IAM policy's prefix`);
    const other = seen.get(n);
    if (other) issues.push(`${path} and ${other} share ${n}`);
    seen.set(n, path);
  }
  return issues;
}

describe('awsRuntimeSecretName', () => {
  it('names every path shape of MPS and RPS validly, distinctly, under secrets_path', () => {
    expect(namingIssues(p => awsRuntimeSecretName(SECRETS_PATH, p))).toEqual(
      [],
    );
  });

  it('keeps names that are already valid as upstream joins them (secrets_path + path)', () => {
    expect(
      awsRuntimeSecretName(
        SECRETS_PATH,
        'devices/4c4c4544-004b-4210-8033-b6c04f504633',
      ),
    ).toBe('open-amt-prod-devices/4c4c4544-004b-4210-8033-b6c04f504633');
    expect(awsRuntimeSecretName(SECRETS_PATH, 'MPSCerts')).toBe(
      'open-amt-prod-MPSCerts',
    );
    expect(awsRuntimeSecretName(SECRETS_PATH, 'profiles/p$!')).toBe(
      'open-amt-prod-profiles/p=24=21',
    );
  });

  it('the check catches the defects: no escaping, escaping without escaping "=", dropping characters', () => {
    expect(namingIssues(p => `${SECRETS_PATH}${p}`)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('profiles/p$@!%*#?& -> '),
      ]),
    );
    const noEqualsEscape = (p: string) =>
      `${SECRETS_PATH}${p.replace(
        /[^A-Za-z0-9/_+=.@-]/g,
        c => `=${c.charCodeAt(0).toString(16).toUpperCase()}`,
      )}`;
    expect(namingIssues(noEqualsEscape)).toEqual(
      expect.arrayContaining([expect.stringMatching(/share/)]),
    );
    expect(
      namingIssues(p => `${SECRETS_PATH}${p.replace(/[^A-Za-z0-9/]/g, '')}`),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/share/)]));
  });

  it('refuses a name longer than Secrets Manager allows instead of shortening it into a collision', () => {
    const fits = 'x'.repeat(AWS_SECRET_NAME_MAX - SECRETS_PATH.length);
    expect(awsRuntimeSecretName(SECRETS_PATH, fits)).toHaveLength(
      AWS_SECRET_NAME_MAX,
    );
    expect(() => awsRuntimeSecretName(SECRETS_PATH, `${fits}y`)).toThrow(
      /513 characters/,
    );
  });
});

describe('awsSecretName (the portal adapter naming)', () => {
  it('joins prefix and name with one slash', () => {
    expect(awsSecretName('open-amt/', 'prod-jwt')).toBe('open-amt/prod-jwt');
    expect(awsSecretName('', 'prod-jwt')).toBe('prod-jwt');
  });
});
