// Google's Node Cloud Storage client against the emulator at STORAGE_EMULATOR_HOST: upload
// (resumable), download, list, metadata and a V4 signed URL; ACLs, IAM, HMAC keys, bucket
// metadata and the retention lock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Storage } from "@google-cloud/storage";

const host = process.env.STORAGE_EMULATOR_HOST;
const keyFile = process.env.CIRRUS_SIGNING_KEY_FILE;
const storage = new Storage({ apiEndpoint: host, projectId: "demo-cirrus-test" });
const bucket = storage.bucket("node-" + Date.now());

test("bucket is created", async () => {
  await bucket.create({ iamConfiguration: { uniformBucketLevelAccess: { enabled: true } } });
  const [exists] = await bucket.exists();
  assert.equal(exists, true);
});

test("resumable upload then download returns the bytes", async () => {
  const bytes = Buffer.alloc(600 * 1024, 7);
  await bucket.file("dir/big.bin").save(bytes, { resumable: true, chunkSize: 256 * 1024, contentType: "application/octet-stream" });
  const [back] = await bucket.file("dir/big.bin").download();
  assert.equal(Buffer.compare(back, bytes), 0);
});

test("simple upload, metadata update and read back", async () => {
  const file = bucket.file("note.txt");
  await file.save("hello", { resumable: false, contentType: "text/plain" });
  await file.setMetadata({ metadata: { owner: "u1" } });
  const [meta] = await file.getMetadata();
  assert.equal(meta.contentType, "text/plain");
  assert.equal(meta.metadata.owner, "u1");
  assert.equal(meta.size, "5");
});

test("listing with a prefix and a delimiter", async () => {
  const [files, , response] = await bucket.getFiles({ prefix: "", delimiter: "/", autoPaginate: false });
  assert.deepEqual(files.map((f) => f.name), ["note.txt"]);
  assert.deepEqual(response.prefixes, ["dir/"]);
});

test("a V4 signed URL for GET serves the object", async () => {
  const key = JSON.parse(readFileSync(keyFile, "utf8"));
  const signer = new Storage({
    apiEndpoint: host,
    projectId: "demo-cirrus-test",
    credentials: { client_email: key.client_email, private_key: key.private_key },
  });
  const [url] = await signer.bucket(bucket.name).file("note.txt").getSignedUrl({
    version: "v4",
    action: "read",
    expires: Date.now() + 15 * 60 * 1000,
  });
  const response = await fetch(url);
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(await response.text(), "hello");
});

// The JSON API families beyond objects, as the Node client calls them.
const fine = storage.bucket("node-acl-" + Date.now());

test("bucket, default object and object ACLs", async () => {
  await fine.create();
  await fine.acl.add({ entity: "allUsers", role: "READER" });
  const [entry] = await fine.acl.get({ entity: "allUsers" });
  assert.equal(entry.role, "READER");
  await fine.acl.update({ entity: "allUsers", role: "WRITER" });
  assert.equal((await fine.acl.get({ entity: "allUsers" }))[0].role, "WRITER");
  await fine.acl.delete({ entity: "allUsers" });
  await assert.rejects(fine.acl.get({ entity: "allUsers" }), (e) => e.code === 404);

  await fine.acl.default.add({ entity: "allAuthenticatedUsers", role: "READER" });
  const file = fine.file("acl.txt");
  await file.save("x", { resumable: false });
  const [entries] = await file.acl.get();
  assert.ok(entries.some((e) => e.entity === "allAuthenticatedUsers" && e.role === "READER"));
  await file.acl.add({ entity: "user-ann@example.com", role: "OWNER" });
  assert.equal((await file.acl.get({ entity: "user-ann@example.com" }))[0].role, "OWNER");
});

test("ACL calls on a uniform bucket are refused with the service's 400", async () => {
  await assert.rejects(bucket.acl.get(), (e) => e.code === 400 && /uniform bucket-level access/.test(e.message));
});

test("bucket IAM: get, set with the etag, test permissions", async () => {
  const [policy] = await fine.iam.getPolicy({ requestedPolicyVersion: 3 });
  assert.ok(policy.etag);
  policy.bindings.push({ role: "roles/storage.objectViewer", members: ["allUsers"] });
  const [set] = await fine.iam.setPolicy(policy);
  assert.ok(set.bindings.some((b) => b.role === "roles/storage.objectViewer"));
  await assert.rejects(fine.iam.setPolicy(policy), (e) => e.code === 412);
  const [granted] = await fine.iam.testPermissions(["storage.buckets.get"]);
  assert.equal(granted["storage.buckets.get"], true);
});

test("bucket metadata, retention policy and its lock", async () => {
  const [meta] = await fine.setMetadata({ labels: { team: "mobile" } });
  assert.equal(meta.labels.team, "mobile");
  const [retained] = await fine.setRetentionPeriod(60);
  await fine.lock(retained.metageneration);
  const [locked] = await fine.getMetadata();
  assert.equal(locked.retentionPolicy.isLocked, true);
  await assert.rejects(fine.removeRetentionPeriod(), (e) => e.code === 403);
});

test("HMAC keys: create, list, deactivate, delete; the project's service agent", async () => {
  const email = "node@demo-cirrus-test.iam.gserviceaccount.com";
  const [key, secret] = await storage.createHmacKey(email);
  assert.equal(secret.length, 40);
  const [keys] = await storage.getHmacKeys({ serviceAccountEmail: email });
  assert.deepEqual(keys.map((k) => k.id), [key.id]);
  await assert.rejects(key.delete(), (e) => e.code === 400);
  await key.setMetadata({ state: "INACTIVE" });
  await key.delete();
  const [after] = await key.getMetadata();
  assert.equal(after.state, "DELETED");
  const [agent] = await storage.getServiceAccount();
  assert.match(agent.emailAddress, /^service-\d{12}@gs-project-accounts\.iam\.gserviceaccount\.com$/);
});
