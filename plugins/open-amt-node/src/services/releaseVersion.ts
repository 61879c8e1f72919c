import {
  TOOLKIT_RELEASES,
  type ToolkitServiceId,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { ProbeResult } from '../types';

const bare = (version: string) => version.trim().replace(/^v/i, '');

/**
 * Puts a service's probe next to its deployment's release: `details.expectedVersion` and `details.toolkitRelease`
 * always, and a healthy service running another version than the release pins becomes `degraded`
 * ("running v…, release v2.37.0 expects v…"). Unknown release (not known to this portal): the result as it is.
 */
export function compareWithRelease(
  component: ToolkitServiceId,
  result: ProbeResult,
  toolkitRelease: string | undefined,
): ProbeResult {
  const release = TOOLKIT_RELEASES.find(r => r.id === toolkitRelease);
  if (!release) return result;
  const expected = release.components[component].version;
  const details = {
    ...result.details,
    toolkitRelease: release.id,
    expectedVersion: expected,
  };
  const running =
    typeof result.details?.version === 'string'
      ? bare(result.details.version)
      : undefined;
  if (
    result.status !== 'healthy' ||
    running === undefined ||
    running === expected
  )
    return { ...result, details };
  return {
    ...result,
    status: 'degraded',
    message: `${result.message.replace(
      /\.$/,
      '',
    )}, but running v${running}, release ${release.id} expects v${expected}.`,
    details: { ...details, reason: 'version_mismatch' },
  };
}
