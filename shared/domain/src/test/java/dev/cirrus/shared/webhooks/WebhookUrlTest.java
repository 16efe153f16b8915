package dev.cirrus.shared.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.webhooks.WebhookUrl.EgressRefused;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Registering and checking webhook URLs with a resolver the test controls: no lookup and no packet
 * ever leaves for the addresses refused here.
 */
class WebhookUrlTest {
  private static final Map<String, List<String>> DNS =
      Map.of(
          "hooks.example.com", List.of("93.184.216.34"),
          "rebind.example.com", List.of("93.184.216.34", "10.0.0.5"),
          "metadata.example.com", List.of("169.254.169.254"),
          "mapped.example.com", List.of("::ffff:127.0.0.1"),
          "v6.example.com", List.of("2606:4700::1111"));

  private static final WebhookUrl.Resolver RESOLVER =
      host -> {
        List<String> found = DNS.get(host);
        if (found == null) {
          throw new UnknownHostException(host);
        }
        return found.stream().map(EgressAddresses::literal).toList();
      };

  @Test
  void onlyHttpsWithAHostIsAcceptedOutsideDemoProjects() {
    assertThat(WebhookUrl.parse("https://hooks.example.com/cirrus", false).uri().getHost())
        .isEqualTo("hooks.example.com");
    for (String bad :
        List.of(
            "http://hooks.example.com/",
            "ftp://hooks.example.com/",
            "https://user:pw@hooks.example.com/",
            "https:///path",
            "https://hooks.example.com/#frag",
            "not a url",
            "https://" + "a".repeat(2050) + ".com/")) {
      assertThatThrownBy(() -> WebhookUrl.parse(bad, false))
          .as(bad)
          .isInstanceOf(BadRequest.class)
          .hasMessageContaining("url");
    }
    assertThat(WebhookUrl.parse("http://127.0.0.1:9000/hook", true).uri().getPort())
        .isEqualTo(9000);
  }

  @Test
  void aNameIsAllowedOnlyWhenEveryAddressItResolvesToIsPublic() {
    assertThat(WebhookUrl.parse("https://hooks.example.com/", false).addresses(RESOLVER, false))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.216.34");
    assertThat(WebhookUrl.parse("https://v6.example.com/", false).addresses(RESOLVER, false))
        .hasSize(1);
    for (String host :
        List.of("rebind.example.com", "metadata.example.com", "mapped.example.com")) {
      assertThatThrownBy(
              () -> WebhookUrl.parse("https://" + host + "/", false).addresses(RESOLVER, false))
          .as(host)
          .isInstanceOf(EgressRefused.class)
          .hasMessageContaining(host);
    }
    assertThatThrownBy(
            () ->
                WebhookUrl.parse("https://nowhere.example.com/", false).addresses(RESOLVER, false))
        .isInstanceOf(EgressRefused.class)
        .hasMessageContaining("does not resolve");
  }

  @Test
  void addressLiteralsInTheUrlAreCheckedAsTheyAre() {
    WebhookUrl.Resolver literalOnly = host -> List.of(EgressAddresses.literal(host));
    for (String url :
        List.of(
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://[::ffff:169.254.169.254]/",
            "https://10.1.1.1:8443/")) {
      assertThatThrownBy(() -> WebhookUrl.parse(url, false).addresses(literalOnly, false))
          .as(url)
          .isInstanceOf(EgressRefused.class);
    }
    assertThat(WebhookUrl.parse("http://127.0.0.1:9/", true).addresses(literalOnly, true))
        .as("loopback in a demo project, for the local stack's receivers")
        .hasSize(1);
  }
}
