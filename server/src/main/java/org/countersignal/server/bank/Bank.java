package org.countersignal.server.bank;

import java.util.List;
import java.util.Map;

/**
 * A bank as stored and returned. {@code thresholds}: signal type to largest matching distance;
 * {@code follows}: the exchange whose entries fill it, null for a local bank; {@code sharing}: how
 * far its entries may travel ({@link Sharing}), for a followed bank the narrower of this
 * instance's cap and {@code receivedSharing}, the level its source gave (null: local, or a source
 * that gives none, which counts as red); {@code disableWhenDisputedBy}: how many peers of its
 * feeds must dispute an entry before it is switched off ({@link DisputedEntries}), null for never;
 * {@code purpose}: {@link BankPurpose#wireName}, {@code match} or {@code negative};
 * {@code floodGuard}: whether an entry whose matches jump far above its baseline is held back from
 * automatic action (off for an incident's bank, whose flood is the crisis).
 */
public record Bank(
    long id,
    String name,
    String description,
    List<String> labels,
    List<String> entities,
    Map<String, Integer> thresholds,
    boolean enabled,
    String createdAt,
    String updatedAt,
    String follows,
    String sharing,
    String receivedSharing,
    Integer disableWhenDisputedBy,
    String purpose,
    boolean floodGuard) {

  /** How far the entries may travel now. */
  public Sharing level() {
    return Sharing.fromWire(sharing);
  }

  /** Whether its entries cancel other banks' hits instead of being hits. */
  public boolean negative() {
    return BankPurpose.NEGATIVE.wireName().equals(purpose);
  }
}
