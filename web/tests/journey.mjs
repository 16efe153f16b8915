// The web app's journey in Debian's chromium, driven by Playwright against a running local
// stack: sign up, upload two photos and a file that is refused, see the thumbnails, the reason in
// words and the notifications arrive without a reload; rename with a stale If-Match; delete; sign
// out; a second user sees none of it. Every page is checked by axe-core and no console error is
// allowed. Run by WebAppJourneyTest (local/runner), which starts the stack and makes the files.
import assert from "node:assert/strict";
import { accessible, appConfig, Browser, file, signUp, thumbnail, unread } from "./browser.mjs";

const browser = await Browser.launch();
try {
  const page = await browser.newUser("first user");
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await accessible(page, "the sign-in page");
  await browser.shot(page, "sign-in");

  await signUp(page, `web-${Date.now()}@example.com`);
  await accessible(page, "the empty gallery");
  await unread(page, 0);
  await browser.shot(page, "signed-up");

  await page.getByLabel("Upload files").setInputFiles([file("a.jpg"), file("b.jpg"), file("fake.jpg")]);
  // One progress bar per file in flight, named by the file.
  await page.getByRole("progressbar", { name: "a.jpg" }).waitFor({ timeout: 10_000 });
  await browser.shot(page, "uploading");

  await thumbnail(page, "a.jpg");
  await thumbnail(page, "b.jpg");
  await page
    .getByText("fake.jpg was not accepted: the file's contents are not what its name says.")
    .waitFor({ timeout: 30_000 });
  // Two files ready and one refused: three notifications, pushed by Firestore to the open page.
  await unread(page, 3);
  await accessible(page, "the gallery");
  await browser.shot(page, "gallery");

  const notifications = page.getByRole("region", { name: "Notifications" });
  await notifications.getByRole("button", { name: /^Mark read: / }).first().click();
  await unread(page, 2);
  await notifications.getByRole("button", { name: "Mark all read" }).click();
  await unread(page, 0);

  // Details, then a rename that someone else's rename (another tab) has made stale.
  await page.getByRole("button", { name: "Details of a.jpg" }).click();
  const details = page.getByRole("region", { name: "a.jpg" });
  await details.getByText("640 × 480").waitFor();
  assert.match(await details.locator("#facts").textContent(), /SHA-256[0-9a-f]{64}/, "the details show the checksum");
  await accessible(page, "a file's details");
  await browser.shot(page, "details");
  const elsewhere = await browser.open(page.context(), "second tab");
  await elsewhere.getByRole("button", { name: "Details of a.jpg" }).click();
  await elsewhere.getByLabel("Name", { exact: true }).fill("a-elsewhere.jpg");
  await elsewhere.getByRole("button", { name: "Save", exact: true }).click();
  await elsewhere.getByText("Saved.").waitFor();
  await elsewhere.close();
  await browser.refusing(async () => {
    await details.getByLabel("Name", { exact: true }).fill("a-renamed.jpg");
    await details.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("This file was changed somewhere else, so your changes were not saved.").waitFor();
  });
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "a-elsewhere.jpg", "the details show the version that won");
  await browser.shot(page, "stale-rename");
  await page.getByLabel("Name", { exact: true }).fill("a-renamed.jpg");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved.").waitFor();
  await thumbnail(page, "a-renamed.jpg");

  await page.getByRole("button", { name: "Details of b.jpg" }).click();
  await page.getByRole("region", { name: "b.jpg" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("button", { name: "Details of b.jpg" }).waitFor({ state: "detached" });
  assert.equal(await page.getByRole("list", { name: "Files" }).getByRole("img").count(), 1, "b.jpg is gone");
  await browser.shot(page, "deleted");

  // From navigation to a gallery whose thumbnail has loaded, for a signed-in user (a figure, not a
  // verdict: it is printed for the notes, never compared with a limit).
  await page.reload();
  await thumbnail(page, "a-renamed.jpg");
  const usable = await page.evaluate(() => performance.now());
  console.log(`page load to usable gallery: ${Math.round(usable)} ms`);

  await page.setViewportSize({ width: 375, height: 800 });
  await browser.shot(page, "gallery-375px");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, "the gallery fits 375 px without scrolling sideways");
  await accessible(page, "the gallery at 375 px");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await browser.shot(page, "signed-out");

  const other = await browser.newUser("second user");
  const otherEmail = `web-other-${Date.now()}@example.com`;
  await signUp(other, otherEmail);
  await other.getByRole("heading", { name: "Files" }).waitFor();
  await other.waitForTimeout(1000);
  assert.equal(await other.getByRole("list", { name: "Files" }).getByRole("listitem").count(), 0, "a second user sees none of the first's files");
  await unread(other, 0);
  await browser.shot(other, "second-user");

  // An admin (the role set as the admin API or an operator would, through the Auth emulator's
  // custom claims) sees the dead letters after signing in again for a token with the role.
  const config = await appConfig();
  const identity = `http://${config.authEmulatorHost}/identitytoolkit.googleapis.com/v1/projects/${config.projectId}`;
  const owner = { Authorization: "Bearer owner", "Content-Type": "application/json" };
  const found = await (await fetch(`${identity}/accounts:lookup`, { method: "POST", headers: owner, body: JSON.stringify({ email: [otherEmail] }) })).json();
  const promoted = await fetch(`${identity}/accounts:update`, {
    method: "POST",
    headers: owner,
    body: JSON.stringify({ localId: found.users[0].localId, customAttributes: JSON.stringify({ roles: ["admin"] }) }),
  });
  assert.equal(promoted.status, 200, "the Auth emulator gave the role");
  assert.ok(await other.getByRole("region", { name: "Dead letters" }).isHidden(), "no dead letters for a user without the role");
  await other.getByRole("button", { name: "Sign out" }).click();
  await other.getByLabel("Email").fill(otherEmail);
  await other.getByLabel("Password").fill("secret123");
  await other.getByRole("button", { name: "Sign in" }).click();
  const letters = other.getByRole("region", { name: "Dead letters" });
  await letters.waitFor({ timeout: 15_000 });
  await letters.getByText(/No dead letters\.|attempts/).first().waitFor();
  await accessible(other, "the admin's dead letters");
  await browser.shot(other, "admin");

  // Deleting the account from the app, as the app stores require: asked twice, followed until
  // the job is done, then signed out; the account cannot sign in again.
  await other.getByRole("button", { name: "Delete my account" }).click();
  // Its last step deletes the sign-in: the app's next look at the job may be the 401 it expects.
  const deletionAnswers = [];
  other.on("response", (r) => {
    if (new URL(r.url()).pathname.startsWith("/v1/me")) deletionAnswers.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`);
  });
  const deletionStarted = Date.now();
  await browser.refusing(async () => {
    await other.getByRole("button", { name: "Yes, delete my account and all my files" }).click();
    await other
      .getByText("Your account and all your files were deleted.")
      .waitFor({ timeout: 60_000 })
      .catch(async (e) => {
        // What the app showed and what the API answered it: the test's log says why it waited.
        const problem = await other.locator("#problem").textContent().catch(() => "(no page)");
        const status = await other.locator("#delete-status").textContent().catch(() => "(no page)");
        throw new Error(`${e.message}\nproblem: ${problem}\nstatus: ${status}\nanswers: ${deletionAnswers.slice(-12).join(", ")}`);
      });
  });
  console.log(`account deletion in the app: ${Date.now() - deletionStarted} ms`);
  await other.getByRole("button", { name: "Sign in" }).waitFor();
  await accessible(other, "a deleted account");
  await browser.shot(other, "deleted");
  const gone = await (await fetch(`${identity}/accounts:lookup`, { method: "POST", headers: owner, body: JSON.stringify({ email: [otherEmail] }) })).json();
  assert.equal(gone.users, undefined, "the Firebase Auth account is gone");
  await browser.refusing(async () => {
    await other.getByLabel("Email").fill(otherEmail);
    await other.getByLabel("Password").fill("secret123");
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.getByText("The email or the password is wrong.").waitFor({ timeout: 15_000 });
  });

  assert.deepEqual(browser.problems, [], "no console errors");
  console.log(`journey passed: ${browser.step} screenshots`);
} finally {
  await browser.close();
}
