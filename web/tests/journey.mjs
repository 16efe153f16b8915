// The web app's journey in Debian's chromium, driven by Playwright against a running local
// stack: sign up, upload two photos and a file that is refused, see the thumbnails and the
// reason in words, keep every page free of serious accessibility violations and of console
// errors, and sign out; a second user sees none of it. Run by WebAppJourneyTest (local/runner),
// which starts the stack and makes the files; screenshots of each step go to CIRRUS_SCREENSHOTS.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

const web = process.env.CIRRUS_WEB_URL;
const files = process.env.CIRRUS_FILES;
const shots = process.env.CIRRUS_SCREENSHOTS ?? "test-results";
assert.ok(web, "CIRRUS_WEB_URL names the running stack's web app");
assert.ok(files, "CIRRUS_FILES names the folder of files to upload");
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const problems = [];
// Every refused request, so a console error about one says which.
const seen = [];
let step = 0;

async function newUserPage(label) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && problems.push(`${label} console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`${label} page error: ${e.message}`));
  page.on("response", (r) => r.status() >= 400 && seen.push(`${label}: ${r.status()} ${r.request().method()} ${r.url()}`));
  await page.goto(web);
  return page;
}

async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: join(shots, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
}

async function accessible(page, where) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help}`),
    [],
    `serious or critical accessibility violations on ${where}`,
  );
}

async function signUp(page, email) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("secret123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
}

try {
  const page = await newUserPage("first user");
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await accessible(page, "the sign-in page");
  await shot(page, "sign-in");

  await signUp(page, `web-${Date.now()}@example.com`);
  await accessible(page, "the empty gallery");
  await shot(page, "signed-up");

  await page
    .getByLabel("Upload files")
    .setInputFiles([join(files, "a.jpg"), join(files, "b.jpg"), join(files, "fake.jpg")]);
  // One progress bar per file in flight, named by the file.
  await page.getByRole("progressbar", { name: "a.jpg" }).waitFor({ timeout: 10_000 });
  await shot(page, "uploading");

  const gallery = page.getByRole("list", { name: "Files" });
  for (const name of ["a.jpg", "b.jpg"]) {
    const img = gallery.getByRole("img", { name });
    await img.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      (alt) => [...document.querySelectorAll("img")].some((i) => i.alt === alt && i.complete && i.naturalWidth > 0),
      name,
      { timeout: 15_000 },
    );
  }
  await page
    .getByText("fake.jpg was not accepted: the file's contents are not what its name says.")
    .waitFor({ timeout: 30_000 });
  await accessible(page, "the gallery");
  await shot(page, "gallery");

  await page.setViewportSize({ width: 375, height: 800 });
  await shot(page, "gallery-375px");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, "the gallery fits 375 px without scrolling sideways");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await shot(page, "signed-out");

  const other = await newUserPage("second user");
  await signUp(other, `web-other-${Date.now()}@example.com`);
  await other.getByRole("heading", { name: "Files" }).waitFor();
  await other.waitForTimeout(1000);
  assert.equal(await other.getByRole("list", { name: "Files" }).getByRole("img").count(), 0, "a second user sees none of the first's files");
  await shot(other, "second-user");

  assert.deepEqual(problems, [], `no console errors (refused requests: ${seen.join("; ")})`);
  console.log(`journey passed: ${step} screenshots in ${shots}`);
} finally {
  await browser.close();
}
