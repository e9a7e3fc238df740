package org.countersignal.signals;

/** A signal's text form could not be parsed (wrong length, bad characters, ...). */
public final class MalformedSignalException extends IllegalArgumentException {

  private final String signalType;

  public MalformedSignalException(String signalType, String problem) {
    super("malformed " + signalType + " signal: " + problem);
    this.signalType = signalType;
  }

  public String signalType() {
    return signalType;
  }
}
