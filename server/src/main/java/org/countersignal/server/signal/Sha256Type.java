package org.countersignal.server.signal;

import org.countersignal.signals.digest.DigestSignalType;

/** SHA-256 of the content's bytes. */
public final class Sha256Type extends DigestType {

  public Sha256Type() {
    super(DigestSignalType.SHA256);
  }
}
