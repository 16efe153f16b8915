import { bytes, CirrusClient, reasonInWords } from "./client";
import { $, el, offline, words } from "./dom";
import { savedSessions, sendFile, settled } from "./uploader";

/**
 * The uploads in flight: one item per file with its progress bar (named by the file's name) and a
 * Cancel button; a file that is refused stays with its reason in words.
 */
export class Uploads {
  constructor(
    private readonly api: CirrusClient,
    private readonly ready: () => Promise<void>,
  ) {}

  /** Says which uploads a reload or a cut interrupted, so the user picks those files again. */
  showInterrupted(): void {
    for (const saved of Object.values(savedSessions())) {
      $("uploads").append(
        el(
          "li",
          { className: "interrupted" },
          `${saved.name} stopped at ${bytes(saved.sent)} of ${bytes(saved.size)}: choose it again to resume.`,
        ),
      );
    }
  }

  async upload(file: File): Promise<void> {
    for (const stale of Array.from($("uploads").querySelectorAll("li.interrupted"))) {
      if (stale.textContent?.startsWith(`${file.name} stopped`)) stale.remove();
    }
    const label = el("span", {}, file.name);
    const cancel = el("button", { type: "button", aria: { label: `Cancel ${file.name}` } }, "Cancel");
    const bar = el("progress", { max: file.size, value: 0, aria: { label: file.name } });
    const item = el("li", {}, label, cancel, bar);
    $("uploads").append(item);
    let cancelled = false;
    cancel.addEventListener("click", () => (cancelled = true));
    try {
      const uploadId = await sendFile(this.api, file, {
        progress: (sent) => (bar.value = sent),
        cancelled: () => cancelled,
        offline,
      });
      cancel.remove();
      label.textContent = `${file.name}: processing`;
      const done = await settled(this.api, uploadId);
      if (done.status === "ready") {
        item.remove();
        await this.ready();
      } else {
        this.refused(item, `${file.name} was not accepted: ${reasonInWords(done.reason)}.`);
      }
    } catch (e) {
      if (cancelled) {
        item.remove();
      } else {
        this.refused(item, `${file.name} was not accepted: ${words(e)}`);
      }
    }
  }

  private refused(item: HTMLLIElement, text: string): void {
    item.replaceChildren(el("span", {}, text));
    item.classList.add("rejected");
  }
}
