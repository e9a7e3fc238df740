import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a feed page's signature costs: Ed25519 signing and verifying the payload of the pages the
 * peering benchmark saved (bench/work/federation/page-*.json), each timed 500 times after 500
 * warm-up rounds; prints the median and the 99th percentile. Run with a JDK 25 source launcher:
 *
 *   java bench/federation/SignatureCost.java bench/work/federation/page-1000.json bench/work/federation/page-5000.json
 */
public final class SignatureCost {

  public static void main(String[] args) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    for (String file : args) {
      String json = Files.readString(Path.of(file));
      int start = json.indexOf("\"payload\":\"") + 11;
      byte[] payload = Base64.getDecoder().decode(json.substring(start, json.indexOf('"', start)));
      long[] sign = new long[500];
      long[] verify = new long[500];
      byte[] signature = null;
      for (int round = -500; round < 500; round++) {
        long t0 = System.nanoTime();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(payload);
        signature = signer.sign();
        long t1 = System.nanoTime();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update(payload);
        if (!verifier.verify(signature)) {
          throw new IllegalStateException("a signature did not verify");
        }
        long t2 = System.nanoTime();
        if (round >= 0) {
          sign[round] = t1 - t0;
          verify[round] = t2 - t1;
        }
      }
      System.out.printf("%s: payload %,d bytes; sign median %.2f ms, p99 %.2f ms; verify median %.2f ms, p99 %.2f ms%n",
          file, payload.length, ms(sign, 50), ms(sign, 99), ms(verify, 50), ms(verify, 99));
    }
  }

  private static double ms(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }
}
