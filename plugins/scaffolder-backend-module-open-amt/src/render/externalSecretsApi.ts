/** Served by the External Secrets Operator since v0.16; v1beta1 is no longer served from v0.17. */
export const ESO_API = 'external-secrets.io/v1';
