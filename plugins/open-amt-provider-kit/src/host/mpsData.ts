import type { DataLogger } from './dataLogger';

/**
 * What the MPS database providers take from the running MPS (injected by the bundle entry, which imports these
 * modules by path relative to `dist/data/<name>/index.js`). Same exports at v2.13.21 and v2.34.1.
 */
export const MPS_DATA_HOST_MODULES = {
  /** `export class MPSValidationError(message, status?, errorName?)` — mps src/utils/MPSValidationError.ts */
  MPSValidationError: '../../utils/MPSValidationError.js',
  /** `DefaultTop`, `DefaultSkip` — mps src/utils/constants.ts:207@v2.34.1 */
  constants: '../../utils/constants.js',
  /** `{ logger }` — mps src/logging/index.ts */
  logging: '../../logging/index.js',
} as const;

export type MpsValidationErrorClass = new (
  message: string,
  status?: number,
  errorName?: string,
) => Error;

export interface MpsDataHost {
  MPSValidationError: MpsValidationErrorClass;
  constants: { DefaultTop: number; DefaultSkip: number };
  logger?: DataLogger;
}
