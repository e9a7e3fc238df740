package org.countersignal.cli.admin;

/** A refusal or failure the command reports as one line and an exit code (2 bad input, 1 failure). */
public final class CliException extends RuntimeException {

  public static final int BAD_INPUT = 2;
  public static final int FAILED = 1;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public static CliException badInput(String message) {
    return new CliException(BAD_INPUT, message);
  }

  public static CliException failed(String message) {
    return new CliException(FAILED, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
