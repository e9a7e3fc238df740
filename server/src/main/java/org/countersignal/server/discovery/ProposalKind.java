package org.countersignal.server.discovery;

import java.util.Locale;

/**
 * Why an upload is proposed. {@code near_miss}: it lies just past a banked entry's threshold (an
 * edited copy of banked content, or a video playing part of a banked one); {@code cluster}: many
 * near-identical uploads that matched nothing arrived in a short window (a new variant spreading).
 */
public enum ProposalKind {
  NEAR_MISS,
  CLUSTER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code text} (any case), or null. */
  public static ProposalKind fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (ProposalKind kind : values()) {
      if (kind.wireName().equalsIgnoreCase(text.strip())) {
        return kind;
      }
    }
    return null;
  }
}
