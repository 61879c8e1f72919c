import {
  parseDeploymentSpec,
  TOOLKIT_V2_26_0,
  TOOLKIT_V2_37_0,
} from '@open-amt-backstage/plugin-open-amt-common';
import { allCombinations, specFor } from '../__testUtils__/specs';
import { diffRenderedFiles, summarizeFileChanges } from './diff';
import { renderDeployment } from '.';

describe('diffRenderedFiles', () => {
  it('finds nothing between two renders of one spec', () => {
    const spec = parseDeploymentSpec(specFor(allCombinations()[0]));
    expect(
      diffRenderedFiles(renderDeployment(spec), renderDeployment(spec)),
    ).toEqual([]);
  });

  it('lists added, removed and changed files with patches that name the changed lines', () => {
    const changes = diffRenderedFiles(
      [
        { path: 'a.txt', content: 'one\ntwo\n' },
        { path: 'gone.txt', content: 'x\n' },
      ],
      [
        { path: 'a.txt', content: 'one\nthree\n' },
        { path: 'new.txt', content: 'y\n' },
      ],
    );
    expect(summarizeFileChanges(changes)).toEqual([
      'changed a.txt',
      'removed gone.txt',
      'added new.txt',
    ]);
    expect(changes[0].patch).toContain('-two');
    expect(changes[0].patch).toContain('+three');
    expect(changes[1].patch).toContain('+++ /dev/null');
    expect(changes[2].patch).toContain('--- /dev/null');
  });

  it('shows a release upgrade as image changes in the compose file', () => {
    const base = specFor(allCombinations().find(c => c.target === 'compose')!);
    const before = renderDeployment(
      parseDeploymentSpec({ ...base, toolkitRelease: 'v2.26.0' }),
    );
    const after = renderDeployment(
      parseDeploymentSpec({ ...base, toolkitRelease: 'v2.37.0' }),
    );
    const compose = diffRenderedFiles(before, after).find(
      c => c.path === 'docker-compose.yml',
    );
    expect(compose?.kind).toBe('changed');
    const image = (version: string) =>
      new RegExp(`image: "[^"]*mps:v${version.replace(/\./g, '\\.')}"`);
    const removed = compose!.patch.split('\n').filter(l => l.startsWith('-'));
    const added = compose!.patch.split('\n').filter(l => l.startsWith('+'));
    expect(removed.join('\n')).toMatch(
      image(TOOLKIT_V2_26_0.components.mps.version),
    );
    expect(added.join('\n')).toMatch(
      image(TOOLKIT_V2_37_0.components.mps.version),
    );
  });
});
