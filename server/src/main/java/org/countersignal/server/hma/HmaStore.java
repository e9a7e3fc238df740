package org.countersignal.server.hma;

import java.util.Map;
import java.util.Optional;
import org.countersignal.server.bank.Bank;
import org.jdbi.v3.core.Jdbi;

/**
 * What the HMA-compatible routes keep beside banks and entries: a bank's matching ratio, and
 * the original URL and metadata an HMA client gave with banked content. Both go with their bank
 * or entry when it is deleted.
 */
public final class HmaStore {

  /** What an HMA client gave with banked content, as HMA shows it back. */
  public record ContentDetails(String originalMediaUri, String metadata) {}

  private final Jdbi jdbi;

  public HmaStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The share of lookups a bank matches on, as HMA's {@code matching_enabled_ratio}: 0 for a
   * disabled bank, otherwise the ratio an HMA client set, 1 when none did.
   */
  public double ratio(Bank bank) {
    return ratio(bank, ratios());
  }

  /** As {@link #ratio(Bank)}, from ratios read once for many banks ({@link #ratios()}). */
  public static double ratio(Bank bank, Map<Long, Double> ratios) {
    return bank.enabled() ? ratios.getOrDefault(bank.id(), 1.0) : 0;
  }

  /** The ratio of every bank that has one other than 1. */
  public Map<Long, Double> ratios() {
    return jdbi.withHandle(h -> h.createQuery("SELECT bank_id, enabled_ratio FROM hma_bank_ratios")
        .reduceRows(new java.util.HashMap<Long, Double>(), (map, row) -> {
          map.put(row.getColumn("bank_id", Long.class), row.getColumn("enabled_ratio", Double.class));
          return map;
        }));
  }

  /** Keeps a ratio strictly between 0 and 1; 0 and 1 are the bank's enabled switch alone. */
  public void setRatio(long bankId, double ratio) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM hma_bank_ratios WHERE bank_id = :bank").bind("bank", bankId).execute();
      if (ratio > 0 && ratio < 1) {
        h.createUpdate("INSERT INTO hma_bank_ratios (bank_id, enabled_ratio) VALUES (:bank, :ratio)")
            .bind("bank", bankId).bind("ratio", ratio).execute();
      }
    });
  }

  /** Keeps what an HMA client gave with banked content, in place of what was kept before. */
  public void keepContent(long entryId, String originalMediaUri, String metadata) {
    if (originalMediaUri == null && metadata == null) {
      return;
    }
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM hma_contents WHERE entry_id = :entry").bind("entry", entryId).execute();
      h.createUpdate("INSERT INTO hma_contents (entry_id, original_media_uri, metadata) VALUES (:entry, :uri, :metadata)")
          .bind("entry", entryId).bind("uri", originalMediaUri).bind("metadata", metadata).execute();
    });
  }

  public Optional<ContentDetails> content(long entryId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT original_media_uri, metadata FROM hma_contents WHERE entry_id = :entry")
        .bind("entry", entryId)
        .map((rs, ctx) -> new ContentDetails(rs.getString("original_media_uri"), rs.getString("metadata")))
        .findOne());
  }
}
