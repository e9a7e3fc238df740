package org.countersignal.server.account;

import java.time.Duration;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.jdbi.v3.core.Jdbi;

/** The account views and actions the HTTP layer offers: history and takeover response. */
public final class Accounts {

  /** As long as the {@code account_id} column. */
  static final int MAX_ACCOUNT_LENGTH = 200;

  private final AccountHistory history;
  private final Takeover takeover;

  /** @param contentRetention how long removed content is preserved (a takeover removal starts it) */
  public Accounts(Jdbi jdbi, Duration contentRetention) {
    this.history = new AccountHistory(jdbi);
    this.takeover = new Takeover(jdbi, contentRetention);
  }

  public AccountHistory history() {
    return history;
  }

  public Takeover takeover() {
    return takeover;
  }

  static void checkAccount(String account) {
    if (account == null || account.isBlank() || account.length() > MAX_ACCOUNT_LENGTH) {
      throw new RequestException(Kind.MALFORMED, "account",
          "the account must be the platform's id of it, 1 to " + MAX_ACCOUNT_LENGTH + " characters");
    }
  }
}
