/**
 * The spec recorded on the System (open-amt.io/deployment-spec) is what the Day-2 templates start from: read back
 * from the rendered catalog-info.yaml and validated again, it must render the same repository, file for file.
 */
import {
  OPEN_AMT_ANNOTATIONS,
  parseDeploymentSpec,
  recordedSpecOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { parseAllDocuments } from 'yaml';
import { allCombinations, specFor } from '../__testUtils__/specs';
import { parseSpecInput } from '../actions/specInput';
import { renderDeployment } from '.';
import { RenderedFile } from './types';

function systemOf(files: RenderedFile[]) {
  const catalogInfo = files.find(f => f.path === 'catalog-info.yaml');
  if (!catalogInfo) throw new Error('no catalog-info.yaml rendered');
  return parseAllDocuments(String(catalogInfo.content))
    .map(d => d.toJS())
    .find(e => e.kind === 'System');
}

describe('the recorded spec', () => {
  it('re-renders the same repository for every combination and release', () => {
    const mismatched: string[] = [];
    for (const combination of allCombinations()) {
      for (const toolkitRelease of ['v2.26.0', 'v2.37.0']) {
        const files = renderDeployment(
          parseDeploymentSpec({ ...specFor(combination), toolkitRelease }),
        );
        const again = renderDeployment(
          parseSpecInput(recordedSpecOf(systemOf(files))),
        );
        const text = (f: RenderedFile[]) =>
          f.map(x => `${x.path}\n${String(x.content)}`).join('\n');
        if (text(again) !== text(files)) mismatched.push(files[0].path);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('is on the System only, and a changed field shows in the re-render', () => {
    const spec = parseDeploymentSpec(specFor(allCombinations()[0]));
    const files = renderDeployment(spec);
    const recorded = recordedSpecOf(systemOf(files));
    expect(recorded.name).toBe(spec.name);
    const others = parseAllDocuments(
      String(files.find(f => f.path === 'catalog-info.yaml')!.content),
    )
      .map(d => d.toJS())
      .filter(e => e.kind !== 'System');
    for (const e of others) {
      expect(
        e.metadata.annotations?.[OPEN_AMT_ANNOTATIONS.deploymentSpec],
      ).toBeUndefined();
    }
    // The round trip is not vacuous: another value in the recorded spec renders another repository.
    const changed = renderDeployment(
      parseSpecInput({ ...recorded, fqdn: 'other.example.com' }),
    );
    expect(changed.map(f => String(f.content)).join()).not.toEqual(
      files.map(f => String(f.content)).join(),
    );
  });
});
