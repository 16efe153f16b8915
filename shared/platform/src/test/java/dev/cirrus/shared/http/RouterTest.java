package dev.cirrus.shared.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.MethodNotAllowed;
import dev.cirrus.shared.error.NotFound;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Handler ok = request -> Reply.noContent();
  private final Router router =
      new Router()
          .get("/v1/files/{id}", ok)
          .delete("/v1/files/{id}", ok)
          .post("/v1/uploads/{id}:complete", ok)
          .publicGet("/v1/health", ok);

  @Test
  void pathVariablesAreExtracted() {
    Router.Match match = router.route("GET", "/v1/files/abc");
    assertThat(match.pathParams()).containsEntry("id", "abc");
    assertThat(match.route().authenticated()).isTrue();
  }

  @Test
  void customMethodAfterColonIsItsOwnRoute() {
    assertThat(router.route("POST", "/v1/uploads/u1:complete").pathParams())
        .containsEntry("id", "u1");
    assertThatThrownBy(() -> router.route("POST", "/v1/uploads/u1")).isInstanceOf(NotFound.class);
  }

  @Test
  void variableNeverSpansSegments() {
    assertThatThrownBy(() -> router.route("GET", "/v1/files/a/b")).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> router.route("GET", "/v1/files/")).isInstanceOf(NotFound.class);
  }

  @Test
  void knownPathWithOtherMethodIsMethodNotAllowed() {
    assertThatThrownBy(() -> router.route("PUT", "/v1/files/x"))
        .isInstanceOf(MethodNotAllowed.class)
        .hasMessageContaining("DELETE, GET");
    assertThat(router.methodsFor("/v1/files/x")).containsExactly("DELETE", "GET");
  }

  @Test
  void healthIsTheOnlyPublicRoute() {
    assertThat(router.route("GET", "/v1/health").route().authenticated()).isFalse();
  }
}
