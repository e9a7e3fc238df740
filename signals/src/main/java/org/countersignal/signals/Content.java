package org.countersignal.signals;

import java.util.Objects;

/** Submitted content: its bytes and what kind of content they are. */
public record Content(ContentType type, byte[] bytes) {

  public Content {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(bytes, "bytes");
  }
}
