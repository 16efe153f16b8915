import type { AccountDeletion, DeadLetterList, Me } from "./api";
import { ApiError, CirrusClient } from "./client";
import { $, el, show, sleep } from "./dom";

/** The notification types a user may mute, in words. */
const TYPES: [string, string][] = [
  ["file.ready", "a file is ready"],
  ["file.rejected", "a file is not accepted"],
];

/**
 * Settings (muted notification types), deleting the account (asked twice, then followed until
 * the job is done) and, for the admin role, dead letters with redrive.
 */
export class Account {
  /** Set once the user asked for their account to go: a refused token then means it is gone. */
  deleting = false;

  constructor(
    private readonly api: CirrusClient,
    private readonly deleted: () => void,
  ) {
    $<HTMLFormElement>("settings").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.saveSettings();
    });
    $("delete-account").addEventListener("click", () => {
      $("delete-confirm").hidden = false;
      $("delete-confirm").focus();
    });
    $("delete-confirm").addEventListener("click", () => void this.deleteAccount());
  }

  private async deleteAccount(): Promise<void> {
    $<HTMLButtonElement>("delete-confirm").disabled = true;
    this.deleting = true;
    try {
      let job = await this.api.call<AccountDeletion>("DELETE", "/v1/me");
      $("delete-status").textContent = "Deleting your account and all your files…";
      while (job.status !== "done") {
        await sleep(1000);
        try {
          job = await this.api.call<AccountDeletion>("GET", "/v1/me/deletion");
        } catch (e) {
          // The last step deletes the sign-in itself: the token is refused from then on.
          if (e instanceof ApiError && e.status === 401) break;
          throw e;
        }
      }
      this.deleted();
    } catch (e) {
      this.deleting = false;
      $<HTMLButtonElement>("delete-confirm").disabled = false;
      show(e);
    }
  }

  async load(): Promise<void> {
    this.deleting = false;
    $("delete-confirm").hidden = true;
    $<HTMLButtonElement>("delete-confirm").disabled = false;
    $("delete-status").textContent = "";
    try {
      const me = await this.api.call<Me>("GET", "/v1/me");
      const muted = new Set(me.settings?.mutedTypes ?? []);
      $("muted").replaceChildren(
        ...TYPES.map(([type, words]) =>
          el(
            "label",
            {},
            el("input", { type: "checkbox", name: "muted", value: type, checked: muted.has(type) }),
            ` Don't notify me when ${words}`,
          ),
        ),
      );
      const admin = (me.roles ?? []).includes("admin");
      $("admin").hidden = !admin;
      if (admin) await this.loadDeadLetters();
    } catch (e) {
      show(e);
    }
  }

  private async saveSettings(): Promise<void> {
    const mutedTypes = Array.from(document.querySelectorAll<HTMLInputElement>("#muted input:checked")).map((i) => i.value);
    try {
      await this.api.call("PUT", "/v1/me/settings", { mutedTypes });
      $("settings-status").textContent = "Settings saved.";
    } catch (e) {
      show(e);
    }
  }

  private async loadDeadLetters(): Promise<void> {
    const page = await this.api.call<DeadLetterList>("GET", "/v1/admin/dead-letters?pageSize=50");
    const letters = page.deadLetters ?? [];
    $("dead-letters").replaceChildren(
      ...letters.map((letter) => {
        const redrive = el("button", { type: "button", disabled: Boolean(letter.redrivenAt), aria: { label: `Redrive ${letter.id}` } }, "Redrive");
        redrive.addEventListener("click", async () => {
          try {
            await this.api.call("POST", `/v1/admin/dead-letters/${encodeURIComponent(letter.id ?? "")}:redrive`);
            await this.loadDeadLetters();
          } catch (e) {
            show(e);
          }
        });
        return el(
          "li",
          {},
          `${letter.sourceSubscription ?? ""}: ${letter.attempts ?? 0} attempts, ${letter.deadLetteredAt ?? ""}${letter.redrivenAt ? `, redriven ${letter.redrivenAt}` : ""} `,
          redrive,
        );
      }),
    );
    $("no-dead-letters").hidden = letters.length > 0;
  }
}
