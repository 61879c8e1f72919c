export interface Config {
  openAmt?: {
    scaffolder?: {
      /**
       * Folder the demo portal's `open-amt:publish:local` action (src/modules/publishLocal) copies deployments
       * into (`<dir>/<name>`), relative to the backend's working directory. The demo portal uses
       * `../../deployments`, which its catalog reads.
       */
      localPublishDir?: string;
    };
    /** The demo portal only: never set in production configuration. */
    demo?: {
      /**
       * Start the stand-in stack (simulated MPS with its CIRA port, RPS, MPS Router, Web UI, Vault and Kong
       * admin API on 127.0.0.1:7300-7307) for the example deployment in examples/demo-deployment. Default false.
       */
      standInStack?: boolean;
      /**
       * The permission policy of the demo portal: `allow-all` (default) or `open-amt-example`, the README's
       * example policy (owners read and refresh their deployments, platformTeam reads every deployment).
       */
      permissionPolicy?: 'allow-all' | 'open-amt-example';
      /** The group that reads every deployment under `open-amt-example`. Default group:default/platform-team. */
      platformTeam?: string;
      /**
       * The demo's variant of the production template: the catalog applies `overlay` (a YAML file of form pages,
       * steps and output, packages/backend/templates/open-amt-production-demo.yaml) to the Template it reads from
       * the file location `template`. Both paths are relative to the backend's working directory.
       */
      templateVariants?: Array<{
        template: string;
        overlay: string;
      }>;
    };
  };
}
