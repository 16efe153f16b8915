package dev.cirrus.local.storage;

import java.util.List;

/** Where bucket and object metadata survive a restart; in memory, nowhere. */
public interface Catalog {
  void saveBucket(BucketMeta bucket);

  void deleteBucket(String name);

  void saveObject(ObjectMeta object);

  void deleteObject(String bucket, String name);

  List<BucketMeta> buckets();

  List<ObjectMeta> objects();

  void clear();

  /** Keeps nothing: for the in-memory emulator. */
  Catalog NONE =
      new Catalog() {
        @Override
        public void saveBucket(BucketMeta bucket) {}

        @Override
        public void deleteBucket(String name) {}

        @Override
        public void saveObject(ObjectMeta object) {}

        @Override
        public void deleteObject(String bucket, String name) {}

        @Override
        public List<BucketMeta> buckets() {
          return List.of();
        }

        @Override
        public List<ObjectMeta> objects() {
          return List.of();
        }

        @Override
        public void clear() {}
      };
}
