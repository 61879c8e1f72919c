import type { DatabaseAdapter } from '../types';
import { createPostgresFamilyAdapter } from './postgresFamily';

/** Self-hosted PostgreSQL: the reference database the upstream MPS and RPS images speak natively. */
export const postgresqlAdapter: DatabaseAdapter = createPostgresFamilyAdapter({
  provider: 'postgresql',
  label: 'PostgreSQL',
});
