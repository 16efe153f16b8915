package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.storage.Acl;
import dev.cirrus.local.storage.AclList;
import dev.cirrus.local.storage.BucketMeta;
import dev.cirrus.local.storage.BucketPreconditions;
import dev.cirrus.local.storage.ObjectMeta;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.Preconditions;
import dev.cirrus.local.storage.StorageError;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The three ACL families (bucket, default object, object): list, get, insert, patch, update,
 * delete. On a bucket with uniform bucket-level access every call is refused with the service's
 * 400, and nothing changes.
 */
final class AclHandlers {
  private final ObjectStore store;

  AclHandlers(ObjectStore store) {
    this.store = store;
  }

  /** An ACL as one request sees it, with how its entries are shaped as resources. */
  private record Listed(AclList acl, Function<Acl, Map<String, Object>> shape) {}

  /** One family: where its list lives and how it changes. */
  private interface Family {
    Acl.Scope scope();

    String listKind();

    Listed read(Exchange exchange, String verb);

    Listed change(Exchange exchange, String verb, UnaryOperator<AclList> change);
  }

  void routes(JsonRoutes routes) {
    family(
        routes,
        "/b/{bucket}/acl",
        new BucketList(
            Acl.Scope.BUCKET,
            "storage#bucketAccessControls",
            "a bucket",
            BucketMeta::acl,
            (b, now, acl) -> b.changed(now, b.settings(), acl, b.defaultObjectAcl(), b.policy()),
            (b, base) -> a -> Resources.bucketAcl(b, a, base)));
    family(
        routes,
        "/b/{bucket}/defaultObjectAcl",
        new BucketList(
            Acl.Scope.OBJECT,
            "storage#objectAccessControls",
            "bucket policy",
            BucketMeta::defaultObjectAcl,
            (b, now, acl) -> b.changed(now, b.settings(), b.acl(), acl, b.policy()),
            (b, base) -> a -> Resources.defaultObjectAcl(b.name(), a)));
    family(routes, "/b/{bucket}/o/{object}/acl", new ObjectAcl());
  }

  private void family(JsonRoutes routes, String base, Family family) {
    routes
        .add("GET", base, e -> list(e, family))
        .add("POST", base, e -> insert(e, family))
        .add("GET", base + "/{entity}", e -> get(e, family))
        .add("PATCH", base + "/{entity}", e -> update(e, family, "patch"))
        .add("PUT", base + "/{entity}", e -> update(e, family, "update"))
        .add("DELETE", base + "/{entity}", e -> delete(e, family));
  }

  private void list(Exchange exchange, Family family) throws IOException {
    Listed listed = family.read(exchange, "get");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", family.listKind());
    body.put("items", Resources.acls(listed.acl(), listed.shape()));
    exchange.sendJson(200, body);
  }

  private void get(Exchange exchange, Family family) throws IOException {
    Listed listed = family.read(exchange, "get");
    exchange.sendJson(200, listed.shape().apply(listed.acl().require(exchange.param("entity"))));
  }

  private void insert(Exchange exchange, Family family) throws IOException {
    JsonNode body = exchange.readJson();
    Acl acl = Acl.of(text(body, "entity"), text(body, "role"), family.scope());
    Listed listed = family.change(exchange, "insert", list -> list.with(acl));
    exchange.sendJson(200, listed.shape().apply(acl));
  }

  /** PATCH and PUT: an entry has only its role to change; the entity must have one already. */
  private void update(Exchange exchange, Family family, String verb) throws IOException {
    JsonNode body = exchange.readJson();
    String entity = exchange.param("entity");
    String named = text(body, "entity");
    if (named != null && !named.equals(entity)) {
      throw StorageError.invalid("The entity in the body does not match the entity in the path.");
    }
    Acl acl = Acl.of(entity, text(body, "role"), family.scope());
    Listed listed =
        family.change(
            exchange,
            verb,
            list -> {
              list.require(entity);
              return list.with(acl);
            });
    exchange.sendJson(200, listed.shape().apply(acl));
  }

  private void delete(Exchange exchange, Family family) throws IOException {
    String entity = exchange.param("entity");
    family.change(exchange, "delete", list -> list.without(entity));
    exchange.sendEmpty(204);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static void refuseIfUniform(BucketMeta bucket, String verb, String what) {
    if (bucket.uniform()) {
      throw Acl.refusedOnUniformAccess(verb, what);
    }
  }

  /** How one of a bucket's two lists is changed: the bucket with that list replaced. */
  private interface ListUpdate {
    BucketMeta apply(BucketMeta current, Instant now, AclList list);
  }

  /** The bucket ACL or the default object ACL: a list kept on the bucket. */
  private final class BucketList implements Family {
    private final Acl.Scope scope;
    private final String listKind;
    private final String what;
    private final Function<BucketMeta, AclList> list;
    private final ListUpdate update;
    private final BiFunction<BucketMeta, String, Function<Acl, Map<String, Object>>> shape;

    BucketList(
        Acl.Scope scope,
        String listKind,
        String what,
        Function<BucketMeta, AclList> list,
        ListUpdate update,
        BiFunction<BucketMeta, String, Function<Acl, Map<String, Object>>> shape) {
      this.scope = scope;
      this.listKind = listKind;
      this.what = what;
      this.list = list;
      this.update = update;
      this.shape = shape;
    }

    @Override
    public Acl.Scope scope() {
      return scope;
    }

    @Override
    public String listKind() {
      return listKind;
    }

    @Override
    public Listed read(Exchange exchange, String verb) {
      BucketMeta bucket = store.bucket(exchange.param("bucket"));
      refuseIfUniform(bucket, verb, what);
      return new Listed(list.apply(bucket), shape.apply(bucket, exchange.base()));
    }

    @Override
    public Listed change(Exchange exchange, String verb, UnaryOperator<AclList> change) {
      BucketMeta bucket =
          store.updateBucket(
              exchange.param("bucket"),
              BucketPreconditions.NONE,
              (current, now) -> {
                refuseIfUniform(current, verb, what);
                return update.apply(current, now, change.apply(list.apply(current)));
              });
      return new Listed(list.apply(bucket), shape.apply(bucket, exchange.base()));
    }
  }

  private final class ObjectAcl implements Family {
    @Override
    public Acl.Scope scope() {
      return Acl.Scope.OBJECT;
    }

    @Override
    public String listKind() {
      return "storage#objectAccessControls";
    }

    @Override
    public Listed read(Exchange exchange, String verb) {
      refuseIfUniform(store.bucket(exchange.param("bucket")), verb, "an object");
      ObjectMeta object =
          store.get(exchange.param("bucket"), exchange.param("object"), generation(exchange));
      return new Listed(object.acl(), a -> Resources.objectAcl(object, a, exchange.base()));
    }

    @Override
    public Listed change(Exchange exchange, String verb, UnaryOperator<AclList> change) {
      refuseIfUniform(store.bucket(exchange.param("bucket")), verb, "an object");
      ObjectMeta object =
          store.updateObjectAcl(
              exchange.param("bucket"), exchange.param("object"), generation(exchange), change);
      return new Listed(object.acl(), a -> Resources.objectAcl(object, a, exchange.base()));
    }

    private Preconditions generation(Exchange exchange) {
      return Preconditions.generation(exchange.query().number("generation"));
    }
  }
}
