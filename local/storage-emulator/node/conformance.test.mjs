// Google's Node Cloud Storage client against the emulator at STORAGE_EMULATOR_HOST: upload
// (resumable), download, list, metadata and a V4 signed URL, as the issue asks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Storage } from "@google-cloud/storage";

const host = process.env.STORAGE_EMULATOR_HOST;
const keyFile = process.env.CIRRUS_SIGNING_KEY_FILE;
const storage = new Storage({ apiEndpoint: host, projectId: "demo-cirrus-test" });
const bucket = storage.bucket("node-" + Date.now());

test("bucket is created", async () => {
  await bucket.create();
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
