package org.countersignal.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.NewEntry;

/**
 * A JSON request body read into the request record a route reads it into, through the service's
 * strict JSON reading ({@link RequestBodies}, {@link JsonMapping}). The input is the record's
 * short name, a newline, then the body. The only accepted failure is a {@link RequestException}
 * with a 4xx status (a 500 would be a finding).
 */
class RequestBodyFuzzTest {

  private static final Map<String, Class<?>> RECORDS = Map.of(
      "match", MatchRoutes.MatchRequest.class,
      "match-batch", MatchRoutes.BatchRequest.class,
      "entry", NewEntry.class,
      "entry-batch", ImportRoutes.Batch.class,
      "bank", BankChanges.class);
  private static final RequestBodies BODIES = new RequestBodies(JsonMapping.create());

  @FuzzTest(maxDuration = "5m")
  void parse(byte[] data) {
    int newline = indexOf(data, (byte) '\n');
    Class<?> type = newline < 0 ? null : RECORDS.get(new String(data, 0, newline, StandardCharsets.UTF_8));
    if (type == null) {
      type = MatchRoutes.MatchRequest.class;
      newline = -1;
    }
    byte[] body = Arrays.copyOfRange(data, newline + 1, data.length);
    try {
      assertThat(BODIES.parse(body, type)).isInstanceOf(type);
    } catch (RequestException e) {
      assertThat(e.kind().status()).isBetween(400, 499);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static int indexOf(byte[] data, byte b) {
    for (int i = 0; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
