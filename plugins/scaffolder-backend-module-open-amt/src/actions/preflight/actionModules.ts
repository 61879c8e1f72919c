/**
 * The backend package that provides an action, for the preflight's message: Backstage's own publish modules and
 * this module. Actions not listed here are named without a package (the template may name it: `modules` input).
 */
export const ACTION_MODULES: Readonly<Record<string, string>> = {
  'publish:github': '@backstage/plugin-scaffolder-backend-module-github',
  'publish:gitlab': '@backstage/plugin-scaffolder-backend-module-gitlab',
  'publish:azure': '@backstage/plugin-scaffolder-backend-module-azure',
  'publish:bitbucketCloud':
    '@backstage/plugin-scaffolder-backend-module-bitbucket-cloud',
  'publish:bitbucketServer':
    '@backstage/plugin-scaffolder-backend-module-bitbucket-server',
  'publish:github:pull-request':
    '@backstage/plugin-scaffolder-backend-module-github',
  'publish:gitlab:merge-request':
    '@backstage/plugin-scaffolder-backend-module-gitlab',
  'publish:bitbucketCloud:pull-request':
    '@backstage/plugin-scaffolder-backend-module-bitbucket-cloud',
  'publish:bitbucketServer:pull-request':
    '@backstage/plugin-scaffolder-backend-module-bitbucket-server',
  'catalog:register': '@backstage/plugin-scaffolder-backend',
  'open-amt:deployment:render':
    '@open-amt-backstage/plugin-scaffolder-backend-module-open-amt',
  'open-amt:deployment:diff':
    '@open-amt-backstage/plugin-scaffolder-backend-module-open-amt',
  'open-amt:secrets:provision':
    '@open-amt-backstage/plugin-scaffolder-backend-module-open-amt',
  'open-amt:database:init':
    '@open-amt-backstage/plugin-scaffolder-backend-module-open-amt',
  'open-amt:deployment:upgrade':
    '@open-amt-backstage/plugin-scaffolder-backend-module-open-amt',
};
