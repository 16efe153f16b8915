package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MagicBytesTest {

  private static String detect(byte[] bytes) {
    return MagicBytes.detect(bytes, bytes.length);
  }

  private static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "ffd8ffe000104a464946, image/jpeg",
    "89504e470d0a1a0a0000000d49484452, image/png",
    "474946383961, image/gif",
    "52494646000000005745425056503820, image/webp",
    "0000001866747970686569630000, image/heic",
    "00000018667479706d70343200000000, video/mp4",
    "255044462d312e370a, application/pdf",
    "4d5a90000300000004000000, application/x-executable",
    "7f454c46020101, application/x-executable",
    "cffaedfe07000001, application/x-executable",
    "23212f62696e2f73680a, application/x-executable",
    "000102030405, application/octet-stream",
  })
  void knownSignaturesAreRecognised(String bytes, String type) {
    assertThat(detect(hex(bytes))).isEqualTo(type);
  }

  @ParameterizedTest
  @CsvSource({"hello world", "grüße, 日本語", "line one"})
  void utf8TextIsPlainText(String text) {
    assertThat(detect(text.getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain");
  }

  @ParameterizedTest
  @CsvSource({"68656c6c6f00776f726c64", "c328"})
  void textWithNulsOrInvalidUtf8IsNotText(String bytes) {
    assertThat(detect(hex(bytes))).isEqualTo(MagicBytes.OCTET_STREAM);
  }

  @org.junit.jupiter.api.Test
  void aMultiByteCharacterCutAtTheEndOfTheHeadIsStillText() {
    byte[] text = "aaaä".getBytes(StandardCharsets.UTF_8);
    assertThat(MagicBytes.detect(text, text.length - 1)).isEqualTo("text/plain");
  }
}
