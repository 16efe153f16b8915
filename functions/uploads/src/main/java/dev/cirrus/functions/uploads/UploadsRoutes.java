package dev.cirrus.functions.uploads;

import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.http.Reply;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.uploads.IdempotencyKey;
import dev.cirrus.shared.uploads.NewUpload;
import dev.cirrus.shared.uploads.UploadService;

/** The uploads API: each handler decodes, calls the service, encodes. */
final class UploadsRoutes {
  /** {@code POST /v1/uploads} body; digests are base64. */
  record CreateBody(String filename, String contentType, Long size, String md5, String crc32c) {}

  private UploadsRoutes() {}

  static Router create(UploadService uploads, UploadPolicy policy) {
    return new Router()
        .uploadCreation(
            "/v1/uploads",
            request -> {
              CreateBody body = request.body(CreateBody.class);
              NewUpload upload =
                  NewUpload.validate(
                      body.filename(),
                      body.contentType(),
                      body.size(),
                      body.md5(),
                      body.crc32c(),
                      policy);
              return Reply.created(
                  uploads.create(
                      request.principal(),
                      upload,
                      request.header("Origin"),
                      request.traceparent(),
                      IdempotencyKey.of(request.header(IdempotencyKey.HEADER))));
            })
        .get(
            "/v1/uploads/{id}",
            request -> Reply.ok(uploads.get(request.principal(), request.pathParam("id"))))
        .post(
            "/v1/uploads/{id}:complete",
            request ->
                Reply.accepted(
                    uploads.complete(
                        request.principal(), request.pathParam("id"), request.traceparent())))
        .delete(
            "/v1/uploads/{id}",
            request -> {
              uploads.abort(request.principal(), request.pathParam("id"));
              return Reply.noContent();
            });
  }
}
