package org.countersignal.signals.text;

/** A half-open range {@code [from, to)} of words or characters. */
public record TextSpan(int from, int to) {

  public TextSpan {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("bad span [" + from + ", " + to + ")");
    }
  }

  public int length() {
    return to - from;
  }
}
