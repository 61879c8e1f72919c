import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { HealthStore } from '../HealthStore/HealthStore';

/** Past this many remembered claims the memory is cleared (the database still answers). */
const MAX_REMEMBERED = 100_000;

/**
 * "Once each" for notices: a notice is sent by whoever claims its key first in the store's ledger, whatever the
 * replica. Keys this process saw claimed are remembered, so a certificate 29 days from expiry does not cost a
 * database write every round.
 */
export class NoticeLedger {
  private readonly claimed = new Set<string>();

  constructor(
    private readonly options: {
      store: Pick<HealthStore, 'claimNotice'>;
      logger: LoggerService;
    },
  ) {}

  /** True when the caller is the one to send it. A failed claim sends nothing now; a later round asks again. */
  async claim(entityRef: string, key: string, now = new Date()) {
    const id = `${entityRef}\n${key}`;
    if (this.claimed.has(id)) return false;
    let won: boolean;
    try {
      won = await this.options.store.claimNotice(entityRef, key, now);
    } catch (error) {
      this.options.logger.warn(
        `Recording the notice ${key} for ${entityRef} failed, not sending it now: ${
          toError(error).message
        }`,
      );
      return false;
    }
    if (this.claimed.size >= MAX_REMEMBERED) this.claimed.clear();
    this.claimed.add(id);
    return won;
  }
}
