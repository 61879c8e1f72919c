export interface Config {
  openAmt?: {
    /** The demo portal only: never set in production configuration. */
    demo?: {
      /**
       * Start the stand-in stack (simulated MPS, RPS, MPS Router, Web UI, Vault and Kong admin API on
       * 127.0.0.1:7300-7306) for the example deployment in examples/demo-deployment. Default false.
       */
      standInStack?: boolean;
    };
  };
}
