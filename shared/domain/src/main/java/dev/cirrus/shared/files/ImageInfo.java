package dev.cirrus.shared.files;

import java.time.Instant;

/**
 * What an image says about itself. GPS is never part of it: location is personal data and is not
 * published.
 *
 * @param orientation EXIF orientation 1-8; 1 when the image has none
 * @param takenAt capture time from EXIF, if any (EXIF has no zone: read as UTC)
 */
public record ImageInfo(
    int width,
    int height,
    String format,
    int orientation,
    Instant takenAt,
    String cameraMake,
    String cameraModel) {}
