export interface Config {
  openAmt?: {
    /** The health engine: probes every component of every Open AMT deployment in the catalog. */
    health?: {
      /** Seconds between two sweeps over all deployments (one replica runs each sweep). Default 60. */
      intervalSeconds?: number;
      /** Budget of one component probe in milliseconds; a probe that takes longer is recorded as down. Default 5000. */
      timeoutMs?: number;
      /** Component probes running at the same time across the whole sweep. Default 50. */
      concurrency?: number;
      /** Each deployment's probes start after a random delay in [0, jitterMs] so endpoints are not hit in lockstep. Default 1000. */
      jitterMs?: number;
      /**
       * Hosts probes may reach: host names, globs (`*.prod.example.com`) and CIDRs (`10.0.0.0/8`).
       * Link-local and cloud metadata addresses are always refused, also after DNS resolution.
       * Empty or absent: no probe leaves the backend (every component reports unknown).
       */
      allowedHosts?: string[];
      /** Minimum seconds between two on-demand refreshes of one deployment (429 otherwise). Default 30. */
      refreshRateLimitSeconds?: number;
      /** Days of history buckets and state changes to keep; a daily task deletes older rows. Default 30. */
      retentionDays?: number;
      /**
       * Seconds a probe trusts facts that rarely change before asking again: MPS/RPS versions (also asked again after
       * any failed health check), the Kong routes of one configuration hash, the portal's Vault token (asked every time
       * once it nears expiry) and KV mount (asked again after Vault was down). An on-demand refresh asks everything.
       * 0 asks everything on every probe. Default 600.
       */
      factsMaxAgeSeconds?: number;
      /** Run the sweep task at all (a replica that only serves the API may set false). Default true. */
      enabled?: boolean;
      /**
       * Live updates (signals). Each deployment's changes go to its owners (the catalog's ownedBy relations)
       * and to these readers, never to everyone: list the users or groups your permission policy lets read
       * every deployment, e.g. ['group:default/platform-team'].
       */
      liveUpdates?: {
        /** Full entity refs (user:… or group:…). Default none. */
        readers?: string[];
      };
      /** Notifications (plugin-notifications) to the deployment's owner. */
      notifications?: {
        /** Default true. */
        enabled?: boolean;
        /** When a deployment becomes down. Default true. */
        onDown?: boolean;
        /** When a down deployment recovers. Default true. */
        onRecovery?: boolean;
        /** When connected devices drop sharply (alerts.devicesDrop), and when they come back. Default true. */
        onDevicesDropped?: boolean;
        /** When a certificate crosses one of alerts.certificates.notifyDays, and when it expires. Default true. */
        onCertificates?: boolean;
      };
      /**
       * What degrades a deployment or notifies its owners besides components going down. Each notice is sent once,
       * whatever the number of replicas (a ledger in the plugin's database).
       */
      alerts?: {
        /**
         * A sharp drop in the devices connected to MPS (a CIRA outage, a network change, an expired certificate):
         * the devices row, and so the deployment, is degraded until the count comes back, and the owners are told once
         * when it starts and once when it ends. The alert's state is kept with the devices row, so it survives restarts
         * and is shared by replicas. While MPS cannot be counted (the row is unknown) an alert stays as it was.
         */
        devicesDrop?: {
          /** Default true. */
          enabled?: boolean;
          /**
           * Alert when connected devices fall below the level minus this percentage. The level is the median of the
           * connected counts of the windowMinutes before the round, capped by the devices MPS still knows (deleted
           * devices are not dropped ones). Above 0, below 100. Default 20.
           */
          dropPercent?: number;
          /**
           * Recovered when connected devices are back to the baseline (the level when the alert started, capped by the
           * devices MPS still knows) minus this percentage, for recoverRounds rounds in a row. At least 0, below
           * dropPercent. Default 10.
           */
          recoverPercent?: number;
          /** Minutes of connected counts the level is the median of. 1 to 1440. Default 60. */
          windowMinutes?: number;
          /** No alert while the level is below this many devices (a lab with three devices is not an outage). Default 5. */
          minBaseline?: number;
          /** Consecutive rounds at or above the recovery mark before the alert clears. Default 2. */
          recoverRounds?: number;
        };
        certificates?: {
          /**
           * Days left at which the owners are told about a provisioning or CIRA certificate, once per threshold and
           * certificate (a renewed certificate is told about again). When several thresholds are crossed at once only
           * the most urgent is sent. An expired certificate is always told about once. Positive whole numbers.
           * Default [30, 7, 1].
           */
          notifyDays?: number[];
        };
      };
      /**
       * The portal backend's own identity for reading probe credentials
       * (`open-amt.io/credentials-ref`) and for probing secret stores. Never a user's identity, and only ever
       * sent to the stores named here: a deployment whose store is another one is probed without credentials.
       * A store added through openAmtProvidersExtensionPoint reads its own section here (its adapter's
       * portalIdentity.configKey), declared in the adopter's module's config schema.
       */
      secretStores?: {
        vault?: {
          /** Vault address, e.g. https://vault.internal:8200. */
          address: string;
          /**
           * A Vault token with read access to the probe credentials.
           * @visibility secret
           */
          token?: string;
          /** AppRole login instead of a static token. */
          appRole?: {
            roleId: string;
            /**
             * @visibility secret
             */
            secretId: string;
            /** Auth mount path. Default approle. */
            mountPath?: string;
          };
        };
        /** Azure Key Vault: DefaultAzureCredential (managed identity, workload identity, environment, Azure CLI). */
        azure?: {
          /** Client id of a user-assigned managed identity, when not the default one. */
          managedIdentityClientId?: string;
          /** The Key Vaults (https://<name>.vault.azure.net) the identity may be used for; none when absent. */
          vaultUrls?: string[];
        };
        /** AWS KMS / Secrets Manager: the SDK default credential chain (environment, web identity, instance role). */
        aws?: {
          /** The region the identity is used in; stores and references in other regions get no credentials. */
          region?: string;
          /** A private or test endpoint for that region; deployments naming another endpoint get no credentials. */
          endpoint?: string;
        };
      };
    };
  };
}
