import { parseDeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { allCombinations, specFor } from '../__testUtils__/specs';
import { renderDeployment } from '.';

it('smoke', () => {
  let n = 0;
  for (const c of allCombinations()) {
    const files = renderDeployment(parseDeploymentSpec(specFor(c)));
    n += files.length;
  }
  const files = renderDeployment(parseDeploymentSpec(specFor({ database: 'postgresql', secrets: 'vault', gateway: 'kong', target: 'compose' })));
  require('fs').writeFileSync('/tmp/scratch/one.json', JSON.stringify(files, null, 1));
  console.log(n);
});
