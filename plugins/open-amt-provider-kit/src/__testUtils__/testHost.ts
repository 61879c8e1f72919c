import type { RpsDataConstants, RpsDataHost } from '../host/rpsData';
import type { MpsDataHost } from '../host/mpsData';

/**
 * Stand-ins for the host modules, shaped like upstream's (rps src/utils/RPSError.ts, mps src/utils/MPSValidationError.ts):
 * the host, not the thing under test. Messages echo the constant's name and arguments, so a test sees which one the
 * provider chose.
 */
export class TestRPSError extends Error {
  item: unknown;
  constructor(message: string, errorName?: string, item?: unknown) {
    super(message);
    if (errorName) this.name = errorName;
    if (item) this.item = item;
    Object.setPrototypeOf(this, TestRPSError.prototype);
  }
}

export class TestMPSValidationError extends Error {
  constructor(
    message: string,
    public status?: number,
    public errorName?: string,
  ) {
    super(message);
    if (errorName) this.name = errorName;
    Object.setPrototypeOf(this, TestMPSValidationError.prototype);
  }
}

const echo =
  (name: string) =>
  (...args: string[]) =>
    `${name}(${args.join(', ')})`;

export const testRpsConstants: RpsDataConstants = {
  DEFAULT_TOP: 25,
  DEFAULT_SKIP: 0,
  CONCURRENCY_EXCEPTION: 'Concurrency',
  CONCURRENCY_MESSAGE: 'No records were updated',
  API_UNEXPECTED_EXCEPTION: echo('API_UNEXPECTED_EXCEPTION'),
  PROFILE_INSERTION_FAILED_DUPLICATE: echo(
    'PROFILE_INSERTION_FAILED_DUPLICATE',
  ),
  PROFILE_INSERTION_CIRA_CONSTRAINT: echo('PROFILE_INSERTION_CIRA_CONSTRAINT'),
  PROFILE_INSERTION_GENERIC_CONSTRAINT: echo(
    'PROFILE_INSERTION_GENERIC_CONSTRAINT',
  ),
  CIRA_CONFIG_DELETION_FAILED_CONSTRAINT: echo(
    'CIRA_CONFIG_DELETION_FAILED_CONSTRAINT',
  ),
  CIRA_CONFIG_INSERTION_FAILED_DUPLICATE: echo(
    'CIRA_CONFIG_INSERTION_FAILED_DUPLICATE',
  ),
  IEEE8021X_DELETION_FAILED_CONSTRAINT_WIRELESS: echo(
    'IEEE8021X_DELETION_FAILED_CONSTRAINT_WIRELESS',
  ),
  IEEE8021X_DELETION_FAILED_CONSTRAINT_AMT_PROFILE: echo(
    'IEEE8021X_DELETION_FAILED_CONSTRAINT_AMT_PROFILE',
  ),
  IEEE8021X_INSERTION_FAILED: echo('IEEE8021X_INSERTION_FAILED'),
  IEEE8021X_INSERTION_FAILED_DUPLICATE: echo(
    'IEEE8021X_INSERTION_FAILED_DUPLICATE',
  ),
  NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT: echo(
    'NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT',
  ),
  NETWORK_CONFIG_ERROR: echo('NETWORK_CONFIG_ERROR'),
  NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE: echo(
    'NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE',
  ),
  DUPLICATE_DOMAIN_FAILED: echo('DUPLICATE_DOMAIN_FAILED'),
};

export const testRpsHost = (): RpsDataHost => ({
  RPSError: TestRPSError,
  constants: testRpsConstants,
  logger: { error: () => {} },
});

export const testMpsHost = (): MpsDataHost => ({
  MPSValidationError: TestMPSValidationError,
  constants: { DefaultTop: 25, DefaultSkip: 0 },
  logger: { error: () => {} },
});

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
