package dev.cirrus.shared.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every range a webhook must never reach, in each form an attacker would write it. */
class EgressAddressesTest {

  private static void refused(String... addresses) {
    for (String a : addresses) {
      assertThat(EgressAddresses.refusal(EgressAddresses.literal(a))).as(a).isPresent();
    }
  }

  @Test
  void privateLoopbackLinkLocalAndMetadataAddressesAreRefused() {
    refused(
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "198.18.0.1",
        "192.0.2.1",
        "::",
        "::1",
        "fc00::1",
        "fd00:ec2::254",
        "fe80::1",
        "ff02::1",
        "2001:db8::1");
  }

  @Test
  void ipv4InsideIpv6IsCheckedAsTheIpv4ItReaches() {
    refused(
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.1.2.3",
        "::127.0.0.1",
        "64:ff9b::10.0.0.1",
        "2002:7f00:0001::",
        "2002:a9fe:a9fe::1",
        // Teredo, client 127.0.0.1 stored inverted: 0x80ff:fffe.
        "2001:0:4136:e378:8000:63bf:80ff:fffe");
    assertThat(EgressAddresses.refusal(EgressAddresses.literal("::ffff:8.8.8.8"))).isEmpty();
  }

  @Test
  void publicAddressesArePermitted() {
    for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
      assertThat(EgressAddresses.refusal(EgressAddresses.literal(a))).as(a).isEmpty();
    }
  }
}
