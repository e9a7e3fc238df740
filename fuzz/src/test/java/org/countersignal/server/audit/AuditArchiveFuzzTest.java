package org.countersignal.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Bytes as an audit archive file, checked on its own as {@code countersignal audit verify-archive}
 * checks one ({@link AuditArchive#check}), with the seals' MACs. The file may come from anywhere,
 * so the check reports whatever is wrong with it and never throws (an {@link IOException} can
 * only come from the stream, and a byte array has none); it calls a file intact only when it
 * found no problem, and lists every problem it counts up to its limit.
 */
class AuditArchiveFuzzTest {

  private static final byte[] MAC_KEY = "an audit seal key for fuzzing 32".getBytes(StandardCharsets.US_ASCII);
  private static final int LISTED = 100;

  @FuzzTest(maxDuration = "5m")
  void check(byte[] data) throws IOException {
    AuditArchive.Check check = AuditArchive.check(new ByteArrayInputStream(data), MAC_KEY);
    assertThat(check.intact()).isEqualTo(check.problemsFound() == 0);
    assertThat(check.problems()).hasSize((int) Math.min(check.problemsFound(), LISTED));
    assertThat(check.problems()).allSatisfy(problem -> assertThat(problem).isNotBlank());
  }
}
