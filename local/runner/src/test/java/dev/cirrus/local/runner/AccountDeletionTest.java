package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.shared.processing.TestImages;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Account deletion through the whole stack, as the App Store and Google Play require an app with
 * accounts to offer it: asked by the user, by an admin, or found by the sweeper after the account
 * was deleted in Firebase Auth. Afterwards every collection and both buckets are read in full and
 * nothing of the user is left in them; nothing of anyone else is gone.
 */
@ExtendWith(RunningStack.class)
class AccountDeletionTest {
  private static LocalStack stack;
  private static StackApi api;
  private static Firestore firestore;
  private static Storage storage;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    api = new StackApi(stack);
    firestore = StackClients.firestore(stack);
    storage = StackClients.storage(stack);
  }

  @AfterAll
  static void disconnect() throws Exception {
    firestore.close();
    storage.close();
  }

  /** Files of every kind, an upload waiting for bytes, one in flight, a device, pushes sent. */
  private static void everything(AuthEmulatorClient.User user) throws Exception {
    api.readyTextFile(user, "a.txt");
    String deleted = api.readyTextFile(user, "b.txt");
    assertThat(api.call("DELETE", "/v1/files/" + deleted, user.idToken(), null).statusCode())
        .isEqualTo(204);
    byte[] photo =
        TestImages.noisyJpeg(640, 480, new TestImages.Exif(1, null, null, null, false), 5);
    JsonNode image = api.createUpload(user.idToken(), "p.jpg", "image/jpeg", photo);
    StackApi.put(image.path("uploadUrl").asText(), photo, null, Map.of());
    api.awaitStatus(user.idToken(), image.path("uploadId").asText(), "ready");
    HttpResponse<String> device =
        api.call(
            "POST",
            "/v1/me/devices",
            user.idToken(),
            "{\"token\":\"fcm-" + user.uid() + "\",\"platform\":\"android\"}");
    assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
    // After the device: this file's notification is pushed to it, and the push recorded.
    api.readyTextFile(user, "c.txt");
    api.createUpload(user.idToken(), "waiting.txt", "text/plain", new byte[] {1, 2, 3});
    byte[] late = "in flight as the deletion starts".getBytes(StandardCharsets.UTF_8);
    JsonNode inFlight = api.createUpload(user.idToken(), "late.txt", "text/plain", late);
    StackApi.put(inFlight.path("uploadUrl").asText(), late, null, Map.of());
  }

  private static JsonNode awaitDone(String uid) {
    JsonNode[] job = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              DocumentSnapshot doc =
                  firestore.collection("accountDeletions").document(uid).get().get();
              job[0] = StackApi.JSON.valueToTree(doc.getData());
              return doc.exists() && "done".equals(doc.getString("phase"));
            });
    return job[0];
  }

  /**
   * Every document of every collection (and of every user's subcollections) and every object of
   * both buckets that mentions {@code uid}, but the deletion's own record and the audit log.
   */
  private static List<String> whatMentions(String uid) throws Exception {
    List<String> found = new ArrayList<>();
    for (CollectionReference collection : firestore.listCollections()) {
      if (List.of("accountDeletions", "auditLog").contains(collection.getId())) {
        continue;
      }
      for (QueryDocumentSnapshot doc : collection.get().get().getDocuments()) {
        if (doc.getId().contains(uid) || String.valueOf(doc.getData()).contains(uid)) {
          found.add(doc.getReference().getPath());
        }
      }
    }
    for (CollectionReference sub : firestore.collection("users").document(uid).listCollections()) {
      sub.get().get().getDocuments().forEach(d -> found.add(d.getReference().getPath()));
    }
    for (String bucket : List.of("-uploads", "-files")) {
      for (Blob blob : storage.list(RunningStack.PROJECT + bucket).iterateAll()) {
        if (blob.getName().contains(uid)) {
          found.add("gs://" + blob.getBucket() + "/" + blob.getName());
        }
      }
    }
    return found;
  }

  @Test
  void aUserWhoDeletesTheirAccountLeavesNothingBehindAndNobodyElseLosesAnything() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    AuthEmulatorClient.User other = api.newUser();
    String kept = api.readyTextFile(other, "kept.txt");
    everything(user);
    assertThat(whatMentions(user.uid())).as("what there is to delete").isNotEmpty();

    HttpResponse<String> asked = api.call("DELETE", "/v1/me", user.idToken(), null);
    HttpResponse<String> again = api.call("DELETE", "/v1/me", user.idToken(), null);

    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    JsonNode job = StackApi.json(asked);
    assertThat(job.path("requestedBy").asText()).isEqualTo("self");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(StackApi.json(again).path("requestedAt")).isEqualTo(job.path("requestedAt"));
    HttpResponse<String> refused =
        api.call(
            "POST",
            "/v1/uploads",
            user.idToken(),
            "{\"filename\":\"x.txt\",\"contentType\":\"text/plain\",\"size\":3}");
    assertThat(refused.statusCode()).as(refused.body()).isIn(401, 409);

    JsonNode done = awaitDone(user.uid());

    // Four files, and the upload in flight if its processing won the race with the deletion.
    assertThat(done.path("erased").path("files").asLong()).isBetween(4L, 5L);
    assertThat(whatMentions(user.uid())).isEmpty();
    assertThat(api.auth().exists(user.uid())).as("the Firebase Auth user").isFalse();
    HttpResponse<String> me = api.call("GET", "/v1/me", user.idToken(), null);
    assertThat(me.statusCode()).as("never made anew: " + me.body()).isIn(401, 409);
    assertThat(firestore.collection("users").document(user.uid()).get().get().exists()).isFalse();
    JsonNode theirs = StackApi.json(api.call("GET", "/v1/files", other.idToken(), null));
    assertThat(theirs.path("files").findValuesAsText("id")).containsExactly(kept);
  }

  @Test
  void anAdminDeletesAUserAndTheAuditLogSaysWho() throws Exception {
    AuthEmulatorClient.User admin = api.newUserWithRoles(List.of("admin"));
    AuthEmulatorClient.User user = api.newUser();
    api.readyTextFile(user, "theirs.txt");

    HttpResponse<String> asked =
        api.call("POST", "/v1/admin/users/" + user.uid() + ":delete", admin.idToken(), null);
    HttpResponse<String> notAnAdmin =
        api.call("POST", "/v1/admin/users/" + admin.uid() + ":delete", user.idToken(), null);

    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    assertThat(StackApi.json(asked).path("requestedBy").asText()).isEqualTo("admin:" + admin.uid());
    assertThat(notAnAdmin.statusCode()).isIn(401, 403);
    awaitDone(user.uid());
    assertThat(whatMentions(user.uid())).isEmpty();
    assertThat(api.auth().exists(admin.uid())).isTrue();
    JsonNode audit = StackApi.json(api.call("GET", "/v1/admin/audit", admin.idToken(), null));
    assertThat(audit.path("entries").toString()).contains("user.delete", user.uid());
  }

  @Test
  void aUserDeletedInFirebaseAuthIsFoundByTheSweeperAndCleanedTheSameWay() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    api.readyTextFile(user, "left.txt");

    api.auth().delete(user.uid());
    new PubSubAdmin(stack.endpoints().pubsubHost(), RunningStack.PROJECT)
        .publish("maintenance-tick", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));

    JsonNode done = awaitDone(user.uid());
    assertThat(done.path("requestedBy").asText()).isEqualTo("sweeper");
    assertThat(whatMentions(user.uid())).isEmpty();
  }
}
