import { z } from 'zod';
import { HOSTNAME_PATTERN } from '../hostnames';
import { isPinnedImage } from './images';

/** Field schemas the deployment spec and the providers' own spec sections are built from. */

/**
 * A deployment's name (the System's name, the namespace default's shape): an RFC 1123 DNS label. The software
 * template's form uses this pattern and message too (its `name` field's `pattern` and `errorMessage`; a test
 * keeps them equal), so the form refuses what the task would refuse, in the same words.
 */
export const DEPLOYMENT_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const DEPLOYMENT_NAME_MESSAGE =
  'must be at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, e.g. factory-east';
export const deploymentName = z
  .string()
  .regex(DEPLOYMENT_NAME_PATTERN, DEPLOYMENT_NAME_MESSAGE);
export const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(
    HOSTNAME_PATTERN,
    'must be a hostname (letters, digits, hyphens and dots, no scheme or port)',
  );
export const fqdn = hostname.refine(
  h => h.includes('.'),
  'must be a fully qualified domain name',
);
export const port = z.number().int().min(1).max(65535);
export const httpUrl = z
  .string()
  .url('must be a URL')
  .refine(u => /^https?:\/\//.test(u), 'must start with http:// or https://');
/** `host:port` or `[v6]:port`, the port required: where a TCP service is reached. */
export const hostPort = z.string().refine(value => {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s/]+)):(\d{1,5})$/i.exec(value);
  if (!match) return false;
  const portNumber = Number(match[3]);
  return (
    (match[1] !== undefined || hostname.safeParse(match[2]).success) &&
    portNumber >= 1 &&
    portNumber <= 65535
  );
}, 'must be host:port, e.g. mps.internal.example.com:4433');
export const image = z
  .string()
  .min(3)
  .refine(
    isPinnedImage,
    'must be pinned: a tag other than latest, or a @sha256 digest',
  );
/** Names a secret inside the chosen store; never the secret itself. */
export const secretName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/, 'must be a secret name');

/** An AWS region such as eu-west-1. */
export const awsRegion = z
  .string()
  .regex(
    /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
    'must be an AWS region such as eu-west-1',
  );
