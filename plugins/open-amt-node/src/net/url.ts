/** Joins a base URL (which may carry a path, e.g. an API Gateway stage) and an absolute path. */
export function joinUrl(base: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${base.replace(/\/+$/, '')}${
    path.startsWith('/') ? path : `/${path}`
  }`;
}

/** Scheme, host and port of a request URL: where a store was asked (never its path or query). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'its address';
  }
}
