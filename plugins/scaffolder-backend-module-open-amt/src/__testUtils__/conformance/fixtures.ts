import { parseDeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { renderDeployment } from '../../render';
import { Combination, specFor } from '../specs';
import { RenderedOutput } from './output';

/** The example spec of one combination, rendered. */
export function rendered(c: Combination): RenderedOutput {
  const spec = parseDeploymentSpec(specFor(c));
  return new RenderedOutput(spec, renderDeployment(spec));
}

/** The reference database and store (PostgreSQL + Vault) with one gateway on one target, rendered. */
export const renderedGateway = (
  gateway: Combination['gateway'],
  target: Combination['target'],
): RenderedOutput =>
  rendered({ database: 'postgresql', secrets: 'vault', gateway, target });

/** The rendered file with `from` replaced by `to`; throws when the replacement does not apply (the defect must be injected). */
export function inject(
  out: RenderedOutput,
  path: string,
  from: string | RegExp,
  to: string,
): RenderedOutput {
  const content = out.file(path);
  const changed = content?.replace(from, to);
  if (content === undefined || changed === content)
    throw new Error(`${path}: ${String(from)} not found`);
  return out.withFile(path, changed!);
}
