/**
 * The end of a switch over a closed union of providers: the argument's type is `never`, so a provider added to the
 * union without its case is a compile error here, never a silent fallback at run time.
 */
export function unknownProvider(value: never): never {
  throw new Error(
    `unknown provider ${JSON.stringify(
      (value as { provider?: unknown })?.provider ?? value,
    )}`,
  );
}
