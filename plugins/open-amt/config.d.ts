export interface Config {
  openAmt?: {
    /** Settings the Open AMT frontend plugin reads in the browser. */
    frontend?: {
      /**
       * Seconds between re-reads of deployment health when live updates (the signals plugin) are not
       * available in the app. Default 30. With signals, a safety re-read still runs every ten intervals.
       * @visibility frontend
       */
      pollIntervalSeconds?: number;
      /**
       * The health engine's probe interval in seconds, used to flag stale data (older than three
       * intervals) when the backend does not report its interval. Default 60.
       * @visibility frontend
       */
      probeIntervalSeconds?: number;
    };
  };
}
