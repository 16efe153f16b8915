import type { Download, File as CirrusFile, FileList as CirrusFileList } from "./api";
import { CirrusClient } from "./client";
import { $, el, show } from "./dom";

/** The user's files, newest first, a page at a time; ready images show their thumbnail. */
export class Gallery {
  private nextPage: string | undefined;

  constructor(
    private readonly api: CirrusClient,
    private readonly open: (id: string) => void,
  ) {}

  async load(more: boolean): Promise<void> {
    try {
      const token = more && this.nextPage ? `&pageToken=${encodeURIComponent(this.nextPage)}` : "";
      const page = await this.api.call<CirrusFileList>("GET", `/v1/files?pageSize=24${token}`);
      const items = await Promise.all((page.files ?? []).map((f) => this.item(f)));
      if (more) {
        $("files").append(...items);
      } else {
        $("files").replaceChildren(...items);
      }
      this.nextPage = page.nextPageToken;
      $("more").hidden = !this.nextPage;
    } catch (e) {
      show(e);
    }
  }

  private async item(file: CirrusFile): Promise<HTMLLIElement> {
    const item = el("li");
    const thumbnail = (file.thumbnails ?? [])[0];
    if (file.status === "ready" && thumbnail) {
      const url = await this.api.call<Download>("GET", `/v1/files/${file.id}/download?variant=thumb256`);
      item.append(
        el("img", {
          alt: file.filename ?? "",
          width: thumbnail.width ?? 256,
          height: thumbnail.height ?? 256,
          src: url.url ?? "",
        }),
      );
    }
    const details = el("button", { type: "button", className: "link", aria: { label: `Details of ${file.filename}` } }, file.filename ?? "");
    details.addEventListener("click", () => this.open(file.id ?? ""));
    item.append(details);
    if (file.status !== "ready") item.append(el("span", { className: "status" }, ` (${file.status})`));
    return item;
  }
}
