import type { DeadLetterList, Me } from "./api";
import { CirrusClient } from "./client";
import { $, el, show } from "./dom";

/** The notification types a user may mute, in words. */
const TYPES: [string, string][] = [
  ["file.ready", "a file is ready"],
  ["file.rejected", "a file is not accepted"],
];

/** Settings (muted notification types) and, for the admin role, dead letters with redrive. */
export class Account {
  constructor(private readonly api: CirrusClient) {
    $<HTMLFormElement>("settings").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.saveSettings();
    });
  }

  async load(): Promise<void> {
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
