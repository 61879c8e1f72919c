/**
 * A DNS host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. Shared by
 * the deployment spec (form input) and the annotation parser, so both accept the same names.
 */
export const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
