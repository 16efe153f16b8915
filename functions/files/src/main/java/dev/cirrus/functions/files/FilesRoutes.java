package dev.cirrus.functions.files;

import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileService;
import dev.cirrus.shared.files.FileView;
import dev.cirrus.shared.http.ApiRequest;
import dev.cirrus.shared.http.Reply;
import dev.cirrus.shared.http.Router;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The files API: each handler decodes, calls the service, encodes. */
final class FilesRoutes {
  /** {@code PATCH /v1/files/{id}} body: either field may be left out. */
  record PatchBody(String filename, List<String> tags) {}

  private FilesRoutes() {}

  static Router create(FileService files) {
    return new Router()
        .get(
            "/v1/files",
            request ->
                Reply.ok(
                    files.list(
                        request.principal(),
                        request.query("ownerUid"),
                        request.query("pageSize"),
                        request.query("pageToken"),
                        request.query("status"))))
        .get("/v1/files/{id}", request -> read(files, request))
        .patch(
            "/v1/files/{id}",
            request -> {
              PatchBody body = request.body(PatchBody.class);
              FileRecord file =
                  files.update(
                      request.principal(),
                      request.pathParam("id"),
                      request.header("If-Match"),
                      Optional.ofNullable(body.filename()),
                      Optional.ofNullable(body.tags()));
              return withEtag(Reply.ok(FileView.of(file)), file);
            })
        .delete(
            "/v1/files/{id}",
            request -> {
              files.delete(request.principal(), request.pathParam("id"));
              return Reply.noContent();
            })
        .get(
            "/v1/files/{id}/download",
            request ->
                Reply.ok(
                        files.download(
                            request.principal(), request.pathParam("id"), request.query("variant")))
                    // The URL stays valid for 15 minutes; a client may reuse it for part of that.
                    .withHeader("Cache-Control", "private, max-age=600"));
  }

  private static Reply read(FileService files, ApiRequest request) {
    FileRecord file = files.get(request.principal(), request.pathParam("id"));
    boolean unchanged =
        request
            .header("If-None-Match")
            .map(
                header ->
                    Arrays.stream(header.split(","))
                        .map(String::trim)
                        .anyMatch(
                            tag ->
                                tag.equals("*")
                                    || tag.equals(file.etag())
                                    || tag.equals("W/" + file.etag())))
            .orElse(false);
    Reply reply = unchanged ? new Reply(304, null, Map.of()) : Reply.ok(FileView.of(file));
    return withEtag(reply, file);
  }

  private static Reply withEtag(Reply reply, FileRecord file) {
    return reply.withHeader("ETag", file.etag()).withHeader("Cache-Control", "private, no-cache");
  }
}
