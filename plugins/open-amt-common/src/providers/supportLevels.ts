import { SUPPORT_LEVELS, SupportLevel } from './types';

/**
 * What each support level means, in the words the picker's chip, the health card and the runbook's legend use (one
 * source, so the three cannot drift apart).
 */
export function supportLevelMeaning(level: SupportLevel): string {
  switch (level) {
    case 'native':
      return 'the upstream MPS and RPS images run with this choice as they are';
    case 'kit':
      return 'provider supplied by this project, built into the MPS/RPS images by your deployment repository';
    case 'custom':
      return 'provider added by your own module: you supply it, and for a database or secrets store the MPS/RPS images that load it';
    default:
      return unknownLevel(level);
  }
}

function unknownLevel(level: never): never {
  throw new Error(`unknown support level ${JSON.stringify(level)}`);
}

/** A stored or received value as a support level; undefined for anything else. */
export function asSupportLevel(value: unknown): SupportLevel | undefined {
  return (SUPPORT_LEVELS as readonly unknown[]).includes(value)
    ? (value as SupportLevel)
    : undefined;
}
