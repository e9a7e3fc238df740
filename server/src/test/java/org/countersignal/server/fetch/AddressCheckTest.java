package org.countersignal.server.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressCheckTest {

  private final AddressCheck check = new AddressCheck(List.of());

  @ParameterizedTest
  @ValueSource(strings = {
      "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.169.254", // cloud metadata
      "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "198.18.0.1",
      "::", "::1", "fe80::1", "fd00::1", "fc00::1", "ff02::1",
      "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", // IPv4 inside IPv6
      "64:ff9b::a9fe:a9fe", // NAT64 form of 169.254.169.254
      "2002:7f00:1::1", // 6to4 form of 127.0.0.1
  })
  void refusesEveryAddressThatIsNotPublic(String literal) throws Exception {
    assertThat(check.refusal(InetAddress.getByName(literal))).as(literal).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"})
  void admitsPublicAddresses(String literal) throws Exception {
    assertThat(check.refusal(InetAddress.getByName(literal))).as(literal).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.20.30.40", "::ffff:10.20.30.40"})
  void anOpenedBlockIsAdmittedAndNothingElse(String literal) throws Exception {
    AddressCheck opened = new AddressCheck(List.of(Network.parse("10.20.0.0/16")));
    assertThat(opened.refusal(InetAddress.getByName(literal))).isEmpty();
    assertThat(opened.refusal(InetAddress.getByName("10.21.0.1"))).isPresent();
    assertThat(opened.refusal(InetAddress.getByName("127.0.0.1"))).isPresent();
  }
}
