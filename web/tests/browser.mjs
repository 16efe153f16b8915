// What the browser tests share: Debian's chromium, a page per user that records console errors,
// numbered screenshots, axe-core's verdict and the app's own sign-up.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

export const web = process.env.CIRRUS_WEB_URL;
export const files = process.env.CIRRUS_FILES;
const shots = process.env.CIRRUS_SCREENSHOTS ?? "test-results";
assert.ok(web, "CIRRUS_WEB_URL names the running stack's web app");
assert.ok(files, "CIRRUS_FILES names the folder of files to upload");
mkdirSync(shots, { recursive: true });

export const file = (name) => join(files, name);

export class Browser {
  static async launch() {
    const config = await appConfig();
    return new Browser(await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] }), config);
  }

  constructor(browser, config) {
    this.browser = browser;
    this.apiUrl = config.apiUrl;
    /** Console errors nobody expected: the journey ends with this empty. */
    this.problems = [];
    /** Console errors a bad-input step caused on purpose (a refused or cut request). */
    this.expected = [];
    this.tolerating = false;
    this.step = 0;
  }

  /** A fresh browser profile (a user of their own) at the app. */
  async newUser(label) {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 } });
    return this.open(context, label);
  }

  /** Another tab of the same profile: the same signed-in user. */
  async open(context, label) {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const line = `${label} console: ${m.text()} (${m.location().url})`;
      (this.tolerating && m.text().startsWith("Failed to load resource") ? this.expected : this.problems).push(line);
    });
    page.on("pageerror", (e) => this.problems.push(`${label} page error: ${e.message}`));
    // The app works with App Check enforced: every API call carries its token.
    page.on("request", (r) => {
      if (r.url().startsWith(this.apiUrl) && r.method() !== "OPTIONS" && !r.headers()["x-firebase-appcheck"]) {
        this.problems.push(`${label}: ${r.method()} ${r.url()} without an App Check token`);
      }
    });
    await page.goto(web);
    return page;
  }

  /** Runs a step that makes requests fail on purpose; their console lines are expected. */
  async refusing(body) {
    this.tolerating = true;
    try {
      return await body();
    } finally {
      this.tolerating = false;
    }
  }

  async shot(page, name) {
    this.step += 1;
    await page.screenshot({ path: join(shots, `${String(this.step).padStart(2, "0")}-${name}.png`), fullPage: true });
  }

  async close() {
    await this.browser.close();
  }
}

export async function accessible(page, where) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [],
    `serious or critical accessibility violations on ${where}`,
  );
}

export async function signUp(page, email) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("secret123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
}

/** Waits until the gallery shows {@code name}'s thumbnail, loaded. */
export async function thumbnail(page, name, timeout = 30_000) {
  await page.getByRole("list", { name: "Files" }).getByRole("img", { name }).waitFor({ timeout });
  await page.waitForFunction(
    (alt) => [...document.querySelectorAll("#files img")].some((i) => i.alt === alt && i.complete && i.naturalWidth > 0),
    name,
    { timeout },
  );
}

/** The number in the element named Unread notifications, once it reaches {@code n}. */
export async function unread(page, n, timeout = 30_000) {
  const count = page.getByRole("status", { name: "Unread notifications" });
  await page.waitForFunction((want) => document.getElementById("unread")?.textContent === String(want), n, { timeout })
    .catch(async (e) => assert.fail(`Unread notifications stayed at ${await count.textContent()}, not ${n}: ${e.message}`));
  assert.equal(await count.textContent(), String(n));
}

/** The app's own settings, as the stack serves them: the emulators' addresses. */
export async function appConfig() {
  const response = await fetch(new URL("/config.json", web));
  return response.json();
}
