/**
 * npm run render — renders one deployment repository with the same code as open-amt:deployment:render, for CI
 * and GitOps pipelines:
 *
 *   npm run render -- --spec spec.yaml --out ./my-deployment
 *   npm run render -- --example --database postgresql --secrets vault --gateway kong --target kubernetes --out ./x [--release v2.37.0]
 *
 * The spec (YAML or JSON) is validated first; on bad input it exits 2 naming each field and writes nothing. Images
 * built with the provider kit get its bundles (from the kit's build, or `--bundles DIR` laid out the same way:
 * <service>/dist/<kind>/<name>/index.js); without them it exits 2 and writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { parseSpecInput } from '../src/actions/specInput';
import { kitBundleContent } from '@open-amt-backstage/open-amt-provider-kit';
import { renderDeployment } from '../src/render';
import { withKitBundles } from '../src/actions/render/kitBundles';
import { specFor } from '../src/__testUtils__/specs';

const USAGE =
  'usage: npm run render -- --spec FILE --out DIR [--bundles DIR]\n' +
  '       npm run render -- --example --database D --secrets S --gateway G --target T --out DIR [--release R] [--bundles DIR]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function specInput(
  values: Record<string, string | boolean | undefined>,
): unknown {
  if (values.example) {
    const missing = ['database', 'secrets', 'gateway', 'target'].filter(
      k => !values[k],
    );
    if (missing.length)
      fail(
        `--example needs ${missing.map(m => `--${m}`).join(', ')}\n${USAGE}`,
      );
    const input = specFor({
      database: values.database,
      secrets: values.secrets,
      gateway: values.gateway,
      target: values.target,
    } as never) as Record<string, unknown>;
    return values.release
      ? { ...input, toolkitRelease: values.release }
      : input;
  }
  if (!values.spec) fail(USAGE);
  let text: string;
  try {
    text = fs.readFileSync(String(values.spec), 'utf8');
  } catch (error) {
    return fail(
      `--spec: cannot read ${values.spec}: ${(error as Error).message}`,
    );
  }
  try {
    const input = parseYaml(text) as Record<string, unknown>;
    return values.release
      ? { ...input, toolkitRelease: values.release }
      : input;
  } catch (error) {
    return fail(
      `--spec: ${values.spec} is not YAML or JSON: ${(error as Error).message}`,
    );
  }
}

/** Bundles from a folder laid out as the kit builds them: `<service>/dist/<kind>/<name>/index.js`. */
const bundlesFrom =
  (dir: string) => async (b: { service: string; kind: string; name: string }) =>
    fs.promises.readFile(
      path.join(dir, b.service, 'dist', b.kind, b.name, 'index.js'),
    );

async function main() {
  const { values } = parseArgs({
    options: {
      spec: { type: 'string' },
      example: { type: 'boolean' },
      database: { type: 'string' },
      secrets: { type: 'string' },
      gateway: { type: 'string' },
      target: { type: 'string' },
      release: { type: 'string' },
      out: { type: 'string' },
      bundles: { type: 'string' },
    },
  });
  if (!values.out) fail(`--out is required\n${USAGE}`);
  let spec;
  try {
    spec = parseSpecInput(specInput(values));
  } catch (error) {
    fail(`invalid spec: ${(error as Error).message}`);
  }
  // Everything is rendered in memory, and the kit's bundles read, before the first file is written.
  let files;
  try {
    files = await withKitBundles(
      spec,
      renderDeployment(spec),
      values.bundles ? bundlesFrom(String(values.bundles)) : kitBundleContent,
    );
  } catch (error) {
    fail(`cannot add the provider kit's bundles: ${(error as Error).message}`);
  }
  const out = path.resolve(values.out);
  for (const file of files) {
    const target = path.join(out, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, {
      mode: /\.sh$/.test(file.path) ? 0o755 : 0o644,
    });
  }
  process.stdout.write(
    `rendered ${files.length} files for ${spec.name} into ${out}\n`,
  );
}

main().catch(error => fail(String(error)));
