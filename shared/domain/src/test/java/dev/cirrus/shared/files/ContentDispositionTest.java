package dev.cirrus.shared.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentDispositionTest {

  @Test
  void exactNameIsEncodedAsRfc8187AttrChars() {
    assertThat(ContentDisposition.attachment("a*b'c%d;e f.txt"))
        .isEqualTo(
            "attachment; filename=\"a*b'c%d;e f.txt\"; filename*=UTF-8''a%2Ab%27c%25d%3Be%20f.txt");
  }

  @Test
  void nonAsciiNameKeepsItsBytesAndAnAsciiFallback() {
    String header = ContentDisposition.attachment("Café \"menu\".pdf");
    assertThat(header)
        .isEqualTo(
            "attachment; filename=\"Caf_ _menu_.pdf\"; filename*=UTF-8''Caf%C3%A9%20%22menu%22.pdf");
  }

  @Test
  void everyEncodedValueDecodesBackToTheName() {
    for (String name :
        new String[] {"x*y.png", "über (1).jpg", "日本語.txt", "a+b=c&d.gif", "~!#$^`|"}) {
      String ext = ContentDisposition.extValue(name);
      assertThat(ext).matches("[A-Za-z0-9!#$&+\\-.^_`|~%]*");
      assertThat(URLDecoder.decode(ext.replace("+", "%2B"), StandardCharsets.UTF_8))
          .isEqualTo(name);
    }
  }
}
