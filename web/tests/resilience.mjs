// The web app when things go wrong, in Debian's chromium against a running local stack: an upload
// whose connection is cut half-way resumes after a page reload from the byte it stopped at; the
// API unreachable shows a retry banner and loses no upload; an expired session starts a new one;
// a cancelled upload is aborted; a file over the size limit, a type the server refuses and an
// exhausted quota are told in words; a disabled user is signed out with a message. Run by
// WebAppJourneyTest (local/runner).
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { accessible, appConfig, Browser, file, signUp, thumbnail } from "./browser.mjs";

const CHUNK = 1024 * 1024;
const config = await appConfig();
const owner = { Authorization: "Bearer owner", "Content-Type": "application/json" };
const identity = `http://${config.authEmulatorHost}/identitytoolkit.googleapis.com/v1/projects/${config.projectId}`;
const browser = await Browser.launch();
try {
  const email = `web-resilience-${Date.now()}@example.com`;
  const page = await browser.newUser("resilience");
  await signUp(page, email);

  // Cut: the first chunk goes through, then every byte to storage fails, then the page reloads.
  const gateway = new URL(config.apiUrl).origin;
  const toStorage = (url) => url.pathname.includes("/upload/") && url.origin !== gateway;
  const cutAt = [];
  const cut = async (route) => {
    const range = route.request().headers()["content-range"] ?? "";
    if (/^bytes 0-/.test(range)) return route.continue();
    cutAt.push(range);
    return route.abort("connectionreset");
  };
  await browser.refusing(async () => {
    await page.route(toStorage, cut);
    await page.getByLabel("Upload files").setInputFiles(file("big.jpg"));
    await page.getByText("Cirrus cannot be reached right now").waitFor({ timeout: 15_000 });
    await browser.shot(page, "cut");
    await page.unroute(toStorage, cut);
    await page.reload();
  });
  assert.ok(cutAt.length > 0, "the cut refused the second chunk");
  await page.getByText(/big\.jpg stopped at 1\.0 MB of \d\.\d MB: choose it again to resume\./).waitFor({ timeout: 15_000 });
  await accessible(page, "an interrupted upload");
  await browser.shot(page, "interrupted");
  const resumedFrom = [];
  const sessionUrls = [];
  page.on("request", (r) => {
    const range = r.headers()["content-range"];
    if (r.method() === "PUT" && range && !range.startsWith("bytes */")) {
      resumedFrom.push(range);
      sessionUrls.push(r.url());
    }
  });
  await page.getByLabel("Upload files").setInputFiles(file("big.jpg"));
  await thumbnail(page, "big.jpg", 60_000);
  assert.match(resumedFrom[0] ?? "", new RegExp(`^bytes ${CHUNK}-`), "the reload resumed at the byte the cut stopped at");

  // The API unreachable: creating the session fails twice, the banner says so, then it goes on.
  let refused = 0;
  const down = (route) => (route.request().method() === "POST" && refused++ < 2 ? route.abort("connectionrefused") : route.continue());
  await browser.refusing(async () => {
    await page.route(`${config.apiUrl}/v1/uploads`, down);
    await page.getByLabel("Upload files").setInputFiles(file("c.jpg"));
    await page.getByText("Cirrus cannot be reached right now").waitFor({ timeout: 10_000 });
    await browser.shot(page, "unreachable");
    await thumbnail(page, "c.jpg");
  });
  assert.equal(refused, 3, "the session was asked for until the API answered");
  assert.ok(await page.getByText("Cirrus cannot be reached right now").isHidden(), "the banner goes once the API answers");

  // An expired session: the session URI this browser kept for d.jpg is one the storage no longer
  // knows (the real emulator answers it as Cloud Storage answers an expired one); the app starts a
  // new session and the file arrives.
  const expired = new URL(sessionUrls[0]);
  expired.searchParams.set("upload_id", "expired-session");
  await page.evaluate(
    ({ key, url }) => {
      const all = JSON.parse(localStorage.getItem("cirrus.uploadSessions") ?? "{}");
      all[key] = { uploadId: "expired", uploadUrl: url, name: "d.jpg", size: 1, sent: 0 };
      localStorage.setItem("cirrus.uploadSessions", JSON.stringify(all));
    },
    { key: await sessionKey("d.jpg"), url: expired.toString() },
  );
  await browser.refusing(async () => {
    await page.getByLabel("Upload files").setInputFiles(file("d.jpg"));
    await thumbnail(page, "d.jpg");
  });

  // Cancel: a slow upload cancelled between chunks is aborted at the API and never appears.
  const slow = async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue().catch(() => undefined);
  };
  await page.route(toStorage, slow);
  const aborted = page.waitForResponse((r) => r.request().method() === "DELETE" && /\/v1\/uploads\//.test(r.url()));
  await page.getByLabel("Upload files").setInputFiles(file("big.jpg"));
  await page.getByRole("button", { name: "Cancel big.jpg" }).click();
  assert.equal((await aborted).status(), 204, "the cancelled upload is aborted at the API");
  await page.getByRole("progressbar", { name: "big.jpg" }).waitFor({ state: "detached" });
  await page.unroute(toStorage, slow);
  assert.equal(await page.getByRole("list", { name: "Files" }).getByRole("img", { name: "big.jpg" }).count(), 1, "only the first big.jpg is a file");

  // Bad input, refused before a byte is sent, in the API's words.
  await browser.refusing(async () => {
    await page.getByLabel("Upload files").setInputFiles([file("huge.jpg"), file("archive.zip")]);
    await page.getByText(/^huge\.jpg was not accepted: .*(large|limit|at most)/i).waitFor({ timeout: 15_000 });
    await page.getByText(/^archive\.zip was not accepted: .*(type|not accepted|not allowed)/i).waitFor({ timeout: 15_000 });
  });
  await accessible(page, "refused uploads");
  await browser.shot(page, "refused");

  // Quota exhausted: an operator lowers the user's limit (as infra's quota setting would); the
  // next upload is refused before a byte is sent, in the API's words.
  await fetch(
    `http://${config.firestoreEmulatorHost}/v1/projects/${config.projectId}/databases/(default)/documents/users/${await uidOf(email)}?updateMask.fieldPaths=quota.limitBytes`,
    {
      method: "PATCH",
      headers: { Authorization: "Bearer owner", "Content-Type": "application/json" },
      body: JSON.stringify({ fields: { quota: { mapValue: { fields: { limitBytes: { integerValue: "1" } } } } } }),
    },
  ).then((r) => assert.equal(r.status, 200, "the Firestore emulator lowered the quota"));
  await browser.refusing(async () => {
    await page.getByLabel("Upload files").setInputFiles(file("a.jpg"));
    await page.getByText(/^a\.jpg was not accepted: the upload needs \d+ bytes; 0 are free/).waitFor({ timeout: 15_000 });
  });
  await browser.shot(page, "quota");

  // A disabled user: Firebase Auth refuses the account when the page loads (an open page's token
  // keeps working until the API's verification cache or the token itself expires); the app says
  // why it signed them out, and a new sign-in is refused in words.
  const disabled = await fetch(`${identity}/accounts:update`, {
    method: "POST",
    headers: owner,
    body: JSON.stringify({ localId: await uidOf(email), disableUser: true }),
  });
  assert.equal(disabled.status, 200, "the Auth emulator disabled the user");
  await browser.refusing(async () => {
    await page.reload();
    await page.getByText("You were signed out: your account was disabled or your sign-in ended.").waitFor({ timeout: 15_000 });
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("secret123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("This account has been disabled.").waitFor({ timeout: 15_000 });
  });
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await accessible(page, "a disabled user signed out");
  await browser.shot(page, "disabled");

  assert.deepEqual(browser.problems, [], "no console errors but those of requests refused on purpose");
  console.log(`resilience passed: ${browser.step} screenshots`);
} finally {
  await browser.close();
}

/** The user's id, from the Auth emulator (as an operator's console would show it). */
async function uidOf(email) {
  const response = await fetch(`${identity}/accounts:lookup`, { method: "POST", headers: owner, body: JSON.stringify({ email: [email] }) });
  return (await response.json()).users[0].localId;
}

/** How the app keys a file's kept session: its name, size and modification time as the browser sees them. */
async function sessionKey(name) {
  const stat = statSync(file(name));
  return `${name}|${stat.size}|${Math.floor(stat.mtimeMs)}`;
}
