package org.countersignal.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.SignalCatalog;

/**
 * A signal's text as an API client sends it ({@code "signals": {"pdq": "..."}}), through the
 * service's signal types. The input is the type's name, a newline, then the value. The only
 * accepted failure is a {@link RequestException} (a 4xx); a value that is accepted must come
 * back the same when its canonical text is sent again, as stored values are.
 */
class SignalStringFuzzTest {

  private static final SignalCatalog CATALOG = new SignalCatalog();

  @FuzzTest(maxDuration = "5m")
  void canonical(byte[] data) {
    String input = new String(data, StandardCharsets.UTF_8);
    int newline = input.indexOf('\n');
    String name = newline < 0 ? "pdq" : input.substring(0, newline);
    String value = newline < 0 ? input : input.substring(newline + 1);
    try {
      String canonical = CATALOG.canonical(name, value, "signals." + name);
      assertThat(CATALOG.canonical(name, canonical, "signals." + name)).isEqualTo(canonical);
      CATALOG.identity(name, canonical);
      CATALOG.bankable(name, value, "signals." + name);
    } catch (RequestException e) {
      assertThat(e.kind().status()).isBetween(400, 499);
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
