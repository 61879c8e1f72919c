export interface Config {
  openAmt?: {
    /** Settings of the Open AMT scaffolder actions (module scaffolder/open-amt). */
    scaffolder?: {
      /**
       * Store identities the portal provisions with when the template does not pass one as a task secret
       * (`${{ secrets.vaultToken }}`, `secrets.awsAccessKeyId`/`awsSecretAccessKey`, `secrets.azureClientSecret`).
       */
      vault?: {
        /** @visibility secret */
        token?: string;
        /** PEM CA bundle for a Vault behind a private CA. */
        ca?: string;
      };
      azure?: {
        tenantId?: string;
        clientId?: string;
        /** @visibility secret */
        clientSecret?: string;
        /** Entra ID authority for sovereign clouds (default login.microsoftonline.com). */
        authorityHost?: string;
        ca?: string;
      };
      aws?: {
        accessKeyId?: string;
        /** @visibility secret */
        secretAccessKey?: string;
        /** @visibility secret */
        sessionToken?: string;
        ca?: string;
      };
      /** Time budget for one store or database call, in ms (default 30000). */
      timeoutMs?: number;
    };
  };
}
