import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build as esbuildBuild, type Plugin } from 'esbuild';
import { KIT_BUNDLES, bundleRelativePath } from './bundles';
import {
  buildBundles,
  bundleBuildOptions,
  entrySource,
  ENTRY_PATH,
  REQUIRE_BANNER,
} from './build';
import { kitEntry } from './entries';
import { HOST_MODULES, hostSpecifiers } from './hostModules';
import { createFakeHost, FakeHost } from './__testUtils__/fakeHost';
import {
  createFixtureMpsData,
  createFixtureRpsData,
} from './__testUtils__/fixtureProvider';
import { createTestDatabase } from './__testUtils__/mariadb';

/**
 * The bundle machinery with a stand-in provider (the real providers are exercised in bundles.test.ts): the generated
 * entry, host modules kept external, CommonJS drivers loading inside the ESM file, and the host's error class
 * reaching the routes' `instanceof`.
 */
const fixture = kitEntry(
  'rps',
  'data',
  'kit-fixture',
  './__testUtils__/fixtureProvider',
  createFixtureRpsData,
  ['RPSError', 'config', 'logger'],
);

const DUPLICATE = `
  await provider.query('CREATE TABLE IF NOT EXISTS t (id VARCHAR(40) PRIMARY KEY)');
  const id = crypto.randomUUID();
  await provider.insertId('t', id);
  try {
    await provider.insertId('t', id);
    return 'no error';
  } catch (e) {
    return { name: e.name, message: e.message, hostClass: e instanceof host.HostError };
  } finally {
    await provider.end();
  }
`;

/** Resolves the host specifiers to the fake host's own files: the bundle then carries its own copy of the class. */
const inlineHostFrom = (hostDir: string): Plugin => ({
  name: 'inline-host',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/\.\.\// }, args =>
      args.importer === ENTRY_PATH
        ? { path: path.join(hostDir, 'dist', 'data', 'kit-fixture', args.path) }
        : undefined,
    );
  },
});

// Builds (esbuild over the SDKs) and child processes on a loaded 2-core box: generous limits, no timing asserts.
jest.setTimeout(120_000);

describe('provider bundles (machinery)', () => {
  let out: string;
  let host: FakeHost;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-bundles-'));
    host = createFakeHost('rps');
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    host?.remove();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('host modules stay inside the service dist/ and the fake host has each of them', () => {
    for (const b of KIT_BUNDLES) {
      for (const s of hostSpecifiers(b.service)) {
        const resolved = path.posix.join(
          path.posix.dirname(bundleRelativePath(b)),
          s,
        );
        expect(resolved).toMatch(/^dist\/[^.]/);
      }
    }
    for (const service of ['mps', 'rps'] as const) {
      const fake = createFakeHost(service);
      try {
        for (const s of hostSpecifiers(service)) {
          expect(
            fs.existsSync(path.join(fake.dir, 'dist', 'data', 'x', s)),
          ).toBe(true);
        }
      } finally {
        fake.remove();
      }
    }
  });

  it('generates an entry importing only the host modules the row names', () => {
    const source = entrySource(fixture);
    expect(source).toContain(
      `from ${JSON.stringify(HOST_MODULES.rps.RPSError.specifier)}`,
    );
    expect(source).toContain(
      `from ${JSON.stringify(HOST_MODULES.rps.Environment.specifier)}`,
    );
    expect(source).toContain('new host2["default"]("kit-fixture")');
    expect(source).not.toContain(HOST_MODULES.rps.constants.specifier);
    expect(source).toContain('createFixtureRpsData as createProvider');
    expect(source).toContain('export default class');
  });

  it('builds an ESM bundle that keeps host modules external and records size and sha256', async () => {
    const manifest = await buildBundles({ outDir: out, entries: [fixture] });
    expect(manifest.bundles).toHaveLength(1);
    const [built] = manifest.bundles;
    expect(built.path).toBe('rps/dist/data/kit-fixture/index.js');
    const file = fs.readFileSync(path.join(out, built.path));
    expect(built.bytes).toBe(file.length);
    expect(built.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')),
    ).toEqual(manifest);
    const text = file.toString('utf8');
    expect(text).toContain('from "../../utils/RPSError.js"');
    expect(text).not.toContain('setPrototypeOf(this, RPSError.prototype)');
    expect(text.startsWith(REQUIRE_BANNER)).toBe(true);
  });

  it('loads through the factory, runs the CommonJS driver and throws the host class', async () => {
    await buildBundles({ outDir: out, entries: [fixture] });
    host.install(
      fixture.bundle,
      path.join(out, 'rps', bundleRelativePath(fixture.bundle)),
    );
    const config = await host.run({
      bundle: fixture.bundle,
      arg: db.url,
      config: { secrets_path: 'kit/' },
      scenario: `const rows = await provider.query('SELECT 1 + 1 AS two');
        const c = provider.config(); await provider.end(); return { two: Number(rows[0].two), c };`,
    });
    expect(config).toMatchObject({
      ok: true,
      value: { two: 2, c: { secrets_path: 'kit/' } },
      log: ['info: kit-fixture - pool created'],
    });
    const duplicate = await host.run({
      bundle: fixture.bundle,
      arg: db.url,
      scenario: DUPLICATE,
    });
    expect(duplicate).toMatchObject({
      ok: true,
      value: { name: 'DuplicateEntry', hostClass: true },
    });
  });

  it('does the same in an MPS host: its logger, config and MPSValidationError', async () => {
    const mpsFixture = kitEntry(
      'mps',
      'data',
      'kit-fixture',
      './__testUtils__/fixtureProvider',
      createFixtureMpsData,
      ['MPSValidationError', 'config', 'logger'],
    );
    const manifest = await buildBundles({ outDir: out, entries: [mpsFixture] });
    const mpsHost = createFakeHost('mps');
    try {
      mpsHost.install(
        mpsFixture.bundle,
        path.join(out, manifest.bundles[0].path),
      );
      const result = await mpsHost.run({
        bundle: mpsFixture.bundle,
        arg: db.url,
        config: { secrets_path: 'mps/' },
        scenario: `const c = provider.config(); return { c, d: await (async () => { ${DUPLICATE} })() };`,
      });
      expect(result).toMatchObject({
        ok: true,
        value: {
          c: { secrets_path: 'mps/' },
          d: { name: 'DuplicateEntry', hostClass: true },
        },
        log: ['info: pool created'],
      });
    } finally {
      mpsHost.remove();
    }
  });

  it('negative: a bundle with its own copy of the host class fails the instanceof test', async () => {
    const outfile = path.join(out, 'inline', 'index.js');
    await esbuildBuild({
      ...bundleBuildOptions(fixture, { outfile }),
      plugins: [inlineHostFrom(host.dir)],
    });
    expect(fs.readFileSync(outfile, 'utf8')).not.toContain(
      'from "../../utils/RPSError.js"',
    );
    host.install(fixture.bundle, outfile);
    const duplicate = await host.run({
      bundle: fixture.bundle,
      arg: db.url,
      scenario: DUPLICATE,
    });
    expect(duplicate).toMatchObject({
      ok: true,
      value: { name: 'DuplicateEntry', hostClass: false },
    });
  });

  it('negative: without the require banner the bundled CommonJS driver cannot load', async () => {
    const outfile = path.join(out, 'no-banner', 'index.js');
    await esbuildBuild({
      ...bundleBuildOptions(fixture, { outfile }),
      banner: {},
    });
    host.install(fixture.bundle, outfile);
    const result = await host.run({
      bundle: fixture.bundle,
      arg: db.url,
      scenario: `await provider.query('SELECT 1'); return 'loaded';`,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Dynamic require/) },
    });
  });
});
