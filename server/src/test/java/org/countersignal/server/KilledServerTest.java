package org.countersignal.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests that kill a server process share: its data directory, a folder for the
 * processes' logs, and every process started ended after the test, whatever it left running.
 */
abstract class KilledServerTest {

  @TempDir Path dataDir;
  @TempDir Path logs;
  final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    ServerProcess.stopAll(processes);
  }

  /** A server process on {@link #dataDir}, logging to {@code logs/name.log}, once it serves. */
  ServerProcess.Started startProcess(String name) throws IOException {
    return ServerProcess.start(dataDir, logs, name, processes);
  }
}
