package dev.cirrus.local.storage.blob;

/**
 * Bytes a {@link BlobStore} holds, with the digests computed while they streamed in.
 *
 * @param md5 base64 MD5, as Cloud Storage reports {@code md5Hash}
 * @param crc32c base64 big-endian CRC32C, as Cloud Storage reports {@code crc32c}
 */
public record StoredBlob(String id, long size, String md5, String crc32c) {}
