package org.countersignal.signals.digest;

/** A cryptographic digest of content bytes, as lowercase hex. */
public record Digest(String hex) {

  @Override
  public String toString() {
    return hex;
  }
}
