import { createPostgresFamilyAdapter } from './postgresFamily';

/** Self-hosted PostgreSQL: the reference database the upstream MPS and RPS images speak natively. */
export const postgresqlAdapter = createPostgresFamilyAdapter({
  provider: 'postgresql',
  label: 'PostgreSQL',
});
