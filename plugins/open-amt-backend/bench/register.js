/*
 * The benchmarks' TypeScript loader: sucrase, leaving ES2020+ syntax (optional chaining, nullish coalescing, class
 * fields) to Node, as Backstage's own loader (@backstage/cli-node's nodeTransform: SWC, target es2024) and its
 * builds do. Plain sucrase/register rewrites every `a?.b` and `a ?? b` into a helper call with an array and a
 * closure per use, which no deployed backend runs; SWC itself would add about 45 MB to the measured process's RSS.
 */
// sucrase comes with @backstage/cli, as for the root scripts' `node -r sucrase/register`.
// eslint-disable-next-line @backstage/no-undeclared-imports
require('sucrase/dist/register').addHook(
  '.ts',
  { transforms: ['imports', 'typescript'], disableESTransforms: true },
  {},
);
