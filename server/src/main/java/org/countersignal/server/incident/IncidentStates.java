package org.countersignal.server.incident;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.countersignal.server.rules.IncidentBanks;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which bank is which incident's, and each incident's status, in memory for the rules. Read again
 * after every change made through this server, and on a schedule ({@link #REFRESH_MILLIS} ms) for
 * the changes of other servers on the same database (a handful of rows: a crisis is rare).
 */
public final class IncidentStates implements IncidentBanks {

  public static final long REFRESH_MILLIS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(IncidentStates.class);

  private final Jdbi jdbi;
  private volatile Map<Long, IncidentOf> byBank = Map.of();
  private final ReentrantLock reloading = new ReentrantLock();

  public IncidentStates(Jdbi jdbi) {
    this.jdbi = jdbi;
    reload();
  }

  @Override
  public IncidentOf incidentOf(long bankId) {
    return byBank.get(bankId);
  }

  /**
   * Reads the states again. One read at a time: a scheduled read that began before a change
   * committed could otherwise finish after the read made for that change, and put back the states
   * from before it (an incident just declared would not yet be one for a while).
   */
  public void reload() {
    reloading.lock();
    try {
      Map<Long, IncidentOf> read = new HashMap<>();
      jdbi.useHandle(h -> h.createQuery("SELECT id, bank_id, status FROM incidents WHERE bank_id IS NOT NULL")
          .map((rs, ctx) -> {
            read.put(rs.getLong("bank_id"), new IncidentOf(rs.getLong("id"), rs.getString("status")));
            return null;
          })
          .list());
      byBank = Map.copyOf(read);
    } finally {
      reloading.unlock();
    }
  }

  /** {@link #reload}, for a schedule: a failure keeps the last states and is logged. */
  public void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      LOG.warn("Could not read incidents' states; keeping the last", e);
    }
  }
}
