package dev.cirrus.shared.exports;

import dev.cirrus.shared.files.FileView;
import dev.cirrus.shared.notifications.NotificationView;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Port: how {@code data.json} is spelled. A document is written as it is read, one file and one
 * notification at a time, so however many a user has, none is held longer than it takes to write.
 */
public interface ExportFormat {

  /** A document on {@code out}; closing it finishes the document but leaves {@code out} open. */
  Document open(OutputStream out) throws IOException;

  /** Calls come in this order: the profile, then the files, then the notifications. */
  interface Document extends Closeable {
    void profile(ExportProfile profile) throws IOException;

    /**
     * @param entry where its original is in the archive
     */
    void file(FileView file, String entry) throws IOException;

    void notification(NotificationView notification) throws IOException;
  }
}
