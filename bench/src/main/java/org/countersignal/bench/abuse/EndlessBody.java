package org.countersignal.bench.abuse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A chunked body that goes on until the server answers (or {@code limit} bytes), on a raw socket:
 * an HTTP client library would buffer or refuse what an attacker sends. The probe
 * ({@link ChunkedFlood}) and the soak's attack send it.
 */
public final class EndlessBody {

  private EndlessBody() {}

  /** What came back: the status (or "no answer", "reset") and how much was sent before it. */
  public record Outcome(String status, long bytesSent) {}

  /** @param timeoutMillis how long to wait for each read of the answer */
  public static Outcome send(URI base, String path, List<String> headers, long limit, int timeoutMillis) {
    long sent = 0;
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nTransfer-Encoding: chunked\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'a');
      byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        while (sent < limit && in.available() == 0) {
          out.write(size);
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          sent += chunk.length;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException closed) {
        // answered and closed while the body was still coming
      }
      byte[] answer = new byte[12];
      int n = in.readNBytes(answer, 0, answer.length);
      return new Outcome(n >= 12 ? new String(answer, 9, 3, StandardCharsets.US_ASCII) : "no answer", sent);
    } catch (IOException reset) {
      return new Outcome("reset", sent);
    }
  }
}
