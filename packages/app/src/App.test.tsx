import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { render, screen } from '@testing-library/react';
import { createPortalApp } from './App';

jest.setTimeout(60_000);

const appDir = path.resolve(__dirname, '..');

/**
 * What the CLI's bundler does for `app.packages: all`: every frontend plugin (or module) among this package's
 * dependencies, its `/alpha` entry point when it has one. The app itself only lists its own module.
 */
function discoverLikeTheBundler() {
  const { dependencies } = require(path.join(appDir, 'package.json'));
  const modules = Object.keys(dependencies).flatMap(name => {
    const pkg = require(`${name}/package.json`);
    const role = pkg.backstage?.role;
    if (role !== 'frontend-plugin' && role !== 'frontend-plugin-module') {
      return [];
    }
    const entry = pkg.exports?.['./alpha'] ? `${name}/alpha` : name;
    return [{ name, default: require(entry).default }];
  });
  (window as any)['__@backstage/discovered__'] = { modules };
  return modules.map(m => m.name);
}

/** The portal's frontend configuration: the `app` section of the real app-config.yaml. */
function useRealAppConfig() {
  const { app } = parse(
    fs.readFileSync(path.resolve(appDir, '../../app-config.yaml'), 'utf8'),
  );
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: { app, backend: { baseUrl: 'http://localhost:7007' } },
        context: 'test',
      },
    ] as any,
  };
}

const fakeGuestToken = `e30.${btoa(JSON.stringify({ exp: 4102444800 }))}.sig`;

/** The backend's guest auth: a session when `guestSignedIn`, else 401; every other call is empty. */
function fakeBackend(guestSignedIn: boolean) {
  global.fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/api/auth/guest/refresh')) {
      if (!guestSignedIn) return new Response('{}', { status: 401 });
      return Response.json({
        profile: { displayName: 'Guest' },
        backstageIdentity: {
          token: fakeGuestToken,
          identity: {
            type: 'user',
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['user:default/guest'],
          },
        },
      });
    }
    return Response.json({ items: [], totalItems: 0, pageInfo: {} });
  }) as typeof fetch;
}

describe('App', () => {
  const originalFetch = global.fetch;
  beforeEach(() => {
    useRealAppConfig();
    localStorage.clear();
  });
  afterEach(() => {
    global.fetch = originalFetch;
    delete (window as any)['__@backstage/discovered__'];
  });

  it('discovers the Open AMT plugin from its dependencies', () => {
    expect(discoverLikeTheBundler()).toEqual(
      expect.arrayContaining([
        '@open-amt-backstage/plugin-open-amt',
        '@backstage/plugin-catalog',
        '@backstage/plugin-scaffolder',
        '@backstage/plugin-techdocs',
      ]),
    );
  });

  it('signs the guest in without a click and lists the Open AMT fleet page in the sidebar', async () => {
    discoverLikeTheBundler();
    fakeBackend(true);
    // A fresh app each time: an app keeps its signed-in identity once loaded.
    render(createPortalApp().createRoot());

    const fleet = await screen.findByRole(
      'link',
      { name: 'Open AMT' },
      { timeout: 30_000 },
    );
    expect(fleet).toHaveAttribute('href', '/open-amt');
    // The sidebar lists only pages with an icon: the fleet page carries the plugin's.
    expect(fleet.querySelector('svg')).not.toBeNull();
    expect(screen.getByRole('link', { name: 'Catalog' })).toHaveAttribute(
      'href',
      '/catalog',
    );
    expect(screen.queryByRole('button', { name: /enter/i })).toBeNull();
  });

  it('offers the guest sign-in when the backend has no guest session', async () => {
    discoverLikeTheBundler();
    fakeBackend(false);
    render(createPortalApp().createRoot());

    expect(
      await screen.findByRole(
        'button',
        { name: /enter/i },
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Open AMT' })).toBeNull();
  });
});
