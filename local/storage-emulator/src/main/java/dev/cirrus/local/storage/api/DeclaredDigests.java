package dev.cirrus.local.storage.api;

import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.ObjectFields;
import dev.cirrus.local.storage.StorageError;
import java.util.List;
import java.util.Locale;

/**
 * Digests a request declares in its headers: {@code X-Goog-Hash: crc32c=...,md5=...} (one header or
 * several) on both APIs, and {@code Content-MD5} on the XML API. The service checks them against
 * the bytes it received, as it does {@code md5Hash} and {@code crc32c} in JSON metadata.
 */
record DeclaredDigests(String md5, String crc32c) {

  static DeclaredDigests of(HttpExchange exchange, boolean xmlApi) {
    String md5 = null;
    String crc32c = null;
    List<String> values = exchange.getRequestHeaders().get("X-Goog-Hash");
    for (String value : values == null ? List.<String>of() : values) {
      for (String item : value.split(",")) {
        int equals = item.indexOf('=');
        if (equals < 0) {
          throw StorageError.invalid("Invalid X-Goog-Hash: " + value);
        }
        String digest = item.substring(0, equals).trim().toLowerCase(Locale.ROOT);
        String declared = item.substring(equals + 1).trim();
        switch (digest) {
          case "md5" -> md5 = ObjectFields.agreedDigest("MD5", md5, declared);
          case "crc32c" -> crc32c = ObjectFields.agreedDigest("CRC32C", crc32c, declared);
          default -> {
            // other algorithms are not the emulator's to check
          }
        }
      }
    }
    if (xmlApi) {
      String contentMd5 = exchange.getRequestHeaders().getFirst("Content-MD5");
      if (contentMd5 != null) {
        md5 = ObjectFields.agreedDigest("MD5", md5, contentMd5.trim());
      }
    }
    return new DeclaredDigests(md5, crc32c);
  }

  ObjectFields addTo(ObjectFields fields) {
    return md5 == null && crc32c == null ? fields : fields.withDeclaredDigests(md5, crc32c);
  }
}
