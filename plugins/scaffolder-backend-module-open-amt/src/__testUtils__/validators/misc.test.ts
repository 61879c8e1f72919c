import { checkEnvFile, checkShell, checkVaultPolicy, checkXml } from './misc';

describe('misc validators', () => {
  it('finds the broken script among several, and runs none of them', async () => {
    const marker = `/tmp/open-amt-sh-ran-${process.pid}`;
    const ok = {
      path: 'a.sh',
      content: `#!/usr/bin/env bash\nset -euo pipefail\necho "hi" > ${marker}\n`,
    };
    const broken = {
      path: 'b.sh',
      content: '#!/usr/bin/env bash\nset -euo pipefail\nif true; then echo x\n',
    };
    await expect(checkShell([ok])).resolves.toEqual([]);
    const issues = await checkShell([ok, broken, ok]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^b\.sh: bash syntax: .*syntax error/);
    expect(require('fs').existsSync(marker)).toBe(false);
  });

  it('rejects root-wide Vault policies and unknown capabilities', () => {
    expect(
      checkVaultPolicy('path "kv/data/x/*" {\n  capabilities = ["read"]\n}\n'),
    ).toEqual([]);
    expect(
      checkVaultPolicy('path "*" {\n  capabilities = ["sudo"]\n}\n'),
    ).toHaveLength(2);
  });

  it('checks XML balance and env reference lines', () => {
    expect(checkXml('<a><b x="1" /></a>')).toEqual([]);
    expect(checkXml('<a><b></a>')).not.toEqual([]);
    expect(checkEnvFile('# c\nA_REF=vault:kv/x#key\n')).toEqual([]);
    expect(checkEnvFile('A_REF=plain-value\n')).toHaveLength(1);
  });
});
