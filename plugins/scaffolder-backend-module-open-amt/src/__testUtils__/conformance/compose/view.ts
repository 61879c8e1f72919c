/**
 * docker-compose.yml as the program sees it: what `docker-compose config` (1.29.2) outputs, from the models in
 * interpolation.ts and dotenv.ts. composeModel.test.ts runs the real tool on a sample of rendered files covering
 * every gateway × store and every distinct command, entrypoint and healthcheck string, and compares field by field.
 */
import { dotenvValues } from './dotenv';
import {
  ComposeEnvironment,
  ComposeInterpolationError,
  interpolateSection,
} from './interpolation';

/**
 * What the operator's shell exports when the runbook says `docker-compose up -d`: nothing. The runbook asks for no
 * export, so only the project's `.env` (and the shell's own variables, which no generated file may count on) is there.
 */
export const RUNBOOK_SHELL_ENV: Record<string, string> = {};

export interface ComposeView {
  /** The services as written in the file (before interpolation). */
  written: Record<string, any>;
  /** The services after interpolation and type conversion: what `docker-compose config` shows. */
  services: Record<string, any>;
  /** The variables compose interpolated with: `.env` overlaid with the shell's exports (environment.py:51-69). */
  environment: ComposeEnvironment;
  /** Variables compose warned about ("… is not set. Defaulting to a blank string.") and replaced with "". */
  unset: string[];
  /** Why compose refuses the file (an invalid `$`, a `${X:?}` unset), when it does; `services` is then as written. */
  error?: string;
}

/** The view of one parsed compose document, with the project directory's `.env` text (undefined when absent). */
export function composeView(
  doc: any,
  dotenv: string | undefined,
  shellEnv: Record<string, string> = RUNBOOK_SHELL_ENV,
): ComposeView {
  const written: Record<string, any> = doc?.services ?? {};
  const environment = new Map(
    dotenv === undefined ? [] : dotenvValues(dotenv, shellEnv),
  );
  for (const [k, v] of Object.entries(shellEnv)) environment.set(k, v);
  const unset = new Set<string>();
  try {
    const services = interpolateSection(written, 'service', environment);
    services.unset.forEach(u => unset.add(u));
    for (const [key, section] of [
      ['volumes', 'volume'],
      ['networks', 'network'],
      ['secrets', 'secret'],
      ['configs', 'config'],
    ] as const)
      interpolateSection(doc?.[key], section, environment).unset.forEach(u =>
        unset.add(u),
      );
    return {
      written,
      services: services.value,
      environment,
      unset: [...unset],
    };
  } catch (e) {
    if (!(e instanceof ComposeInterpolationError)) throw e;
    return {
      written,
      services: written,
      environment,
      unset: [...unset],
      error: e.message,
    };
  }
}
