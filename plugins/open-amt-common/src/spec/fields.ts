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
/**
 * Messages are sentences a person reads next to the field's label (the form shows the same ones through the
 * template's `errorMessage`), never the pattern.
 */
export const HOSTNAME_MESSAGE =
  'must be a host name such as db.example.com: letters, digits, hyphens and dots, without a scheme or port';
export const FQDN_MESSAGE =
  'must be a fully qualified host name such as mps.example.com: letters, digits, hyphens and at least one dot, without a scheme or port';
export const HOST_PORT_MESSAGE =
  'must be a host name or IP address and a port, such as mps.internal.example.com:4433 or [fd00::20]:4433';

export const hostname = z
  .string()
  .min(1, HOSTNAME_MESSAGE)
  .max(253, HOSTNAME_MESSAGE)
  .regex(HOSTNAME_PATTERN, HOSTNAME_MESSAGE);
export const fqdn = z
  .string()
  .min(1, FQDN_MESSAGE)
  .max(253, FQDN_MESSAGE)
  .regex(HOSTNAME_PATTERN, FQDN_MESSAGE)
  .refine(h => h.includes('.'), FQDN_MESSAGE);
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
}, HOST_PORT_MESSAGE);
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
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/,
    'must be a secret name: up to 128 letters, digits and _ . / -, starting with a letter or digit',
  );

/** An AWS region such as eu-west-1. */
export const awsRegion = z
  .string()
  .regex(
    /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
    'must be an AWS region such as eu-west-1',
  );
