#!/usr/bin/env node
/*
 * A throwaway npm registry for the install proof: serves the packed tarballs of one scope, read-only, so the
 * README's `yarn add` commands run verbatim against what `npm publish` would have uploaded. Everything else the app
 * needs comes from registry.npmjs.org (the app's .yarnrc.yml maps only our scope here).
 *
 *   node scripts/install-proof/registry.js --port <port> --tarballs <dir>
 *
 * The packuments carry each tarball's real publish time (its file's mtime), so Yarn's age gate sees them as new.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function arg(name) {
  const at = process.argv.indexOf(name);
  if (at < 0 || !process.argv[at + 1]) {
    process.stderr.write('usage: registry.js --port <port> --tarballs <dir>\n');
    process.exit(2);
  }
  return process.argv[at + 1];
}

const port = Number(arg('--port'));
const tarballDir = path.resolve(arg('--tarballs'));
const base = `http://127.0.0.1:${port}`;

/** name -> packument, built once from the tarballs' own package.json files. */
function readPackuments() {
  const packuments = new Map();
  for (const file of fs.readdirSync(tarballDir)) {
    if (!file.endsWith('.tgz')) continue;
    const tarball = path.join(tarballDir, file);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
        encoding: 'utf8',
      }),
    );
    const bytes = fs.readFileSync(tarball);
    const published = fs.statSync(tarball).mtime.toISOString();
    const packument = packuments.get(manifest.name) ?? {
      name: manifest.name,
      'dist-tags': {},
      versions: {},
      time: { created: published },
    };
    packument.versions[manifest.version] = {
      ...manifest,
      _id: `${manifest.name}@${manifest.version}`,
      dist: {
        tarball: `${base}/-/tarballs/${encodeURIComponent(file)}`,
        shasum: crypto.createHash('sha1').update(bytes).digest('hex'),
        integrity: `sha512-${crypto
          .createHash('sha512')
          .update(bytes)
          .digest('base64')}`,
      },
    };
    packument['dist-tags'].latest = manifest.version;
    packument.time[manifest.version] = published;
    packument.time.modified = published;
    packuments.set(manifest.name, packument);
  }
  if (packuments.size === 0) {
    process.stderr.write(`registry: no .tgz files in ${tarballDir}\n`);
    process.exit(1);
  }
  return packuments;
}

const packuments = readPackuments();

const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url ?? '/', base).pathname);
  const tarballPrefix = '/-/tarballs/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
  } else if (url === '/-/ping') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  } else if (url.startsWith(tarballPrefix)) {
    const file = path.join(tarballDir, path.basename(url));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  } else if (packuments.has(url.slice(1))) {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(packuments.get(url.slice(1))));
  } else {
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(
        JSON.stringify({ error: `${url.slice(1)} is not in this registry` }),
      );
  }
  process.stderr.write(`registry: ${req.method} ${url} ${res.statusCode}\n`);
});

server.listen(port, '127.0.0.1', () => {
  process.stderr.write(
    `registry: ${[...packuments.keys()].join(', ')} on ${base}\n`,
  );
});
