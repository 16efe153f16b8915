package dev.cirrus.shared.json;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.exports.ExportFormat;
import dev.cirrus.shared.exports.ExportProfile;
import dev.cirrus.shared.files.FileView;
import dev.cirrus.shared.notifications.NotificationView;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code data.json} of an export, written by a streaming generator:
 *
 * <pre>{@code
 * {"format": "cirrus-export/1", "profile": {...},
 *  "files": [{...the File resource..., "archivePath": "cirrus-export/files/..."}],
 *  "notifications": [{...}]}
 * }</pre>
 */
public final class JsonExportFormat implements ExportFormat {
  public static final String FORMAT = "cirrus-export/1";

  /** A file in {@code files}: the File resource's fields, then where its original is. */
  record ExportedFile(@JsonUnwrapped FileView file, String archivePath) {}

  private final ObjectMapper mapper;

  public JsonExportFormat(JsonCodec json) {
    this.mapper = json.mapper();
  }

  @Override
  public Document open(OutputStream out) throws IOException {
    JsonGenerator generator = mapper.getFactory().createGenerator(out);
    // Closing the document must not close the stream: the storage adapter finishes the object.
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    generator.writeStartObject();
    generator.writeStringField("format", FORMAT);
    return new JsonDocument(generator);
  }

  /** Writes the arrays as their items come; closing writes what did not come as empty. */
  private static final class JsonDocument implements Document {
    private enum At {
      START,
      FILES,
      NOTIFICATIONS
    }

    private final JsonGenerator generator;
    private At at = At.START;

    JsonDocument(JsonGenerator generator) {
      this.generator = generator;
    }

    @Override
    public void profile(ExportProfile profile) throws IOException {
      generator.writeFieldName("profile");
      generator.writeObject(profile);
    }

    @Override
    public void file(FileView file, String entry) throws IOException {
      moveTo(At.FILES);
      generator.writeObject(new ExportedFile(file, entry));
    }

    @Override
    public void notification(NotificationView notification) throws IOException {
      moveTo(At.NOTIFICATIONS);
      generator.writeObject(notification);
    }

    @Override
    public void close() throws IOException {
      moveTo(At.NOTIFICATIONS);
      generator.writeEndArray();
      generator.writeEndObject();
      generator.close();
    }

    private void moveTo(At next) throws IOException {
      while (at != next) {
        if (at != At.START) {
          generator.writeEndArray();
        }
        at = At.values()[at.ordinal() + 1];
        generator.writeArrayFieldStart(at == At.FILES ? "files" : "notifications");
      }
    }
  }
}
