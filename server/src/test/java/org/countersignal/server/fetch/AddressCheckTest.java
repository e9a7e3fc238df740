package org.countersignal.server.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
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
    assertThat(check.refusal(InetAddress.getByName(literal), 443)).as(literal).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"})
  void admitsPublicAddresses(String literal) throws Exception {
    assertThat(check.refusal(InetAddress.getByName(literal), 443)).as(literal).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.20.30.40", "::ffff:10.20.30.40"})
  void anOpenedBlockIsAdmittedOnItsPortsAndNothingElse(String literal) throws Exception {
    AddressCheck plain = new AddressCheck(List.of(AllowedNetwork.parse("10.20.0.0/16")));
    assertThat(plain.refusal(InetAddress.getByName(literal), 80)).isEmpty();
    assertThat(plain.refusal(InetAddress.getByName(literal), 443)).isEmpty();
    assertThat(plain.refusal(InetAddress.getByName(literal), 8080)).isPresent();
    assertThat(plain.refusal(InetAddress.getByName(literal), 5432)).isPresent();
    assertThat(plain.refusal(InetAddress.getByName("10.21.0.1"), 80)).isPresent();
    assertThat(plain.refusal(InetAddress.getByName("127.0.0.1"), 80)).isPresent();
    AddressCheck onePort = new AddressCheck(List.of(AllowedNetwork.parse("10.20.0.0/16:8080")));
    assertThat(onePort.refusal(InetAddress.getByName(literal), 8080)).isEmpty();
    assertThat(onePort.refusal(InetAddress.getByName(literal), 80)).isPresent();
  }

  @Test
  void publicAddressesAreAdmittedOnAnyPort() throws Exception {
    assertThat(check.refusal(InetAddress.getByName("8.8.8.8"), 8443)).isEmpty();
  }

  @Test
  void blocksAreWrittenWithOrWithoutAPort() throws Exception {
    assertThat(AllowedNetwork.parse("10.0.0.0/8").ports()).containsExactlyInAnyOrder(80, 443);
    assertThat(AllowedNetwork.parse("10.0.0.0/8:8080").ports()).containsExactly(8080);
    assertThat(AllowedNetwork.parse("fd00::/8").ports()).containsExactlyInAnyOrder(80, 443);
    AllowedNetwork v6 = AllowedNetwork.parse("[fd00::/8]:8443");
    assertThat(v6.ports()).containsExactly(8443);
    assertThat(v6.contains(InetAddress.getByName("fd12::1"), 8443)).isTrue();
    assertThat(AllowedNetwork.parse("192.0.2.7:81").contains(InetAddress.getByName("192.0.2.7"), 81)).isTrue();
    for (String bad : List.of("10.0.0.0/8:0", "10.0.0.0/8:70000", "10.0.0.0/8:web", "[fd00::/8]443", "intranet.example:80")) {
      assertThatThrownBy(() -> AllowedNetwork.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
