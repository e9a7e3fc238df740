package org.countersignal.server.signal;

import org.countersignal.signals.digest.DigestSignalType;

/** MD5 of the content's bytes: what many shared hash lists still carry. */
public final class Md5Type extends DigestType {

  public Md5Type() {
    super(DigestSignalType.MD5);
  }
}
