#!/usr/bin/env node
/*
 * The install proof's checks against the running backend of the generated app:
 *   - GET /api/open-amt/health answers {"status":"ok"} (the Open AMT backend plugin is installed and started);
 *   - the scaffolder lists our actions (GET /api/scaffolder/v2/actions with the proof's static token);
 *   - the adopter template is in the catalog, and every action its unconditional steps use is registered in this
 *     backend; actions of steps that run only on a choice (`if:`) and that a fresh create-app backend lacks are
 *     printed by name (the template must offer such a choice only when its module is installed, or document it).
 *
 *   node scripts/install-proof/check-backend.js --url <backend base URL> --template <template.yaml>
 * The token comes from INSTALL_PROOF_TOKEN. Waits for the backend (up to INSTALL_PROOF_START_TIMEOUT seconds).
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const OUR_ACTIONS = [
  'open-amt:preflight',
  'open-amt:deployment:render',
  'open-amt:secrets:provision',
  'open-amt:database:init',
];

function fail(message) {
  process.stderr.write(`check-backend: FAILED: ${message}\n`);
  process.exit(1);
}

function arg(name) {
  const at = process.argv.indexOf(name);
  if (at < 0 || !process.argv[at + 1]) {
    fail('usage: check-backend.js --url <backend URL> --template <file>');
  }
  return process.argv[at + 1];
}

const baseUrl = arg('--url');
const templateFile = path.resolve(arg('--template'));
const token = process.env.INSTALL_PROOF_TOKEN;
if (!token) fail('INSTALL_PROOF_TOKEN is not set');
const auth = { authorization: `Bearer ${token}` };

async function get(urlPath, headers = {}) {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, text };
}

/** Polls until `probe` returns a value, or fails with `what` after `seconds`. */
async function waitFor(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = String(e);
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  return fail(`${what} within ${seconds} s (last: ${last})`);
}

function templateActions() {
  const docs = YAML.parseAllDocuments(fs.readFileSync(templateFile, 'utf8'));
  const template = docs.map(d => d.toJS()).find(d => d?.kind === 'Template');
  if (!template) fail(`${templateFile} holds no Template`);
  return { name: template.metadata.name, steps: template.spec.steps };
}

async function main() {
  const startTimeout = Number(process.env.INSTALL_PROOF_START_TIMEOUT ?? 600);
  const health = await waitFor(
    'GET /api/open-amt/health did not answer 200',
    startTimeout,
    async () => {
      const res = await get('/api/open-amt/health');
      return res.status === 200 ? res : undefined;
    },
  );
  if (JSON.parse(health.text).status !== 'ok') {
    fail(`/api/open-amt/health answered ${health.text}`);
  }
  console.log(`check-backend: GET /api/open-amt/health -> ${health.text}`);

  const actions = await get('/api/scaffolder/v2/actions', auth);
  if (actions.status !== 200) {
    fail(`GET /api/scaffolder/v2/actions answered ${actions.status}`);
  }
  const registered = new Set(JSON.parse(actions.text).map(a => a.id));
  const ours = OUR_ACTIONS.filter(id => !registered.has(id));
  if (ours.length > 0) {
    fail(`the scaffolder does not list ${ours.join(', ')}`);
  }
  console.log(`check-backend: the scaffolder lists ${OUR_ACTIONS.join(', ')}`);

  const { name, steps } = templateActions();
  await waitFor(
    `the catalog did not list template:default/${name}`,
    120,
    async () =>
      (
        await get(
          `/api/catalog/entities/by-name/template/default/${name}`,
          auth,
        )
      ).status === 200,
  );
  console.log(`check-backend: the catalog holds template:default/${name}`);
  // The browser step opens this entity's page; an entity not yet ingested would show "not found" there.
  await waitFor(
    'the catalog did not list system:default/open-amt-demo',
    120,
    async () =>
      (
        await get(
          '/api/catalog/entities/by-name/system/default/open-amt-demo',
          auth,
        )
      ).status === 200,
  );
  console.log('check-backend: the catalog holds system:default/open-amt-demo');
  const missing = steps.filter(s => !registered.has(s.action));
  const always = missing.filter(s => s.if === undefined);
  if (always.length > 0) {
    fail(
      `the template's steps ${always
        .map(s => `${s.id} (${s.action})`)
        .join(', ')} use actions this backend does not register`,
    );
  }
  for (const s of missing) {
    console.log(
      `check-backend: not in a fresh create-app backend: ${s.action}, used by step ${s.id} only if ${s.if}`,
    );
  }
  console.log(
    `check-backend: every action of the template's unconditional steps is registered`,
  );
}

main().catch(e => fail(String(e?.stack ?? e)));
