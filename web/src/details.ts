import type { Download, File as CirrusFile, FilePatch } from "./api";
import { ApiError, bytes, CirrusClient } from "./client";
import { $, el, show } from "./dom";

/**
 * One file's details (size, type, dimensions, capture time, camera, checksums), rename and tags
 * guarded by If-Match (a 412 shows the version someone else saved), download and delete.
 */
export class Details {
  private etag: string | undefined;
  private file: CirrusFile | undefined;

  constructor(
    private readonly api: CirrusClient,
    private readonly changed: () => Promise<void>,
  ) {
    $<HTMLFormElement>("details-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.save();
    });
    $("download").addEventListener("click", () => void this.download());
    $("delete").addEventListener("click", () => void this.remove());
    $("close-details").addEventListener("click", () => this.close());
  }

  async open(id: string): Promise<void> {
    this.close(); // no action may reach the file shown before while the next one loads
    $("details-status").textContent = "";
    try {
      const answer = await this.api.send<CirrusFile>("GET", `/v1/files/${id}`);
      this.render(answer.body, answer.etag);
      $("details").hidden = false;
      $("details-heading").focus();
    } catch (e) {
      show(e);
    }
  }

  close(): void {
    $("details").hidden = true;
    this.file = undefined;
  }

  private render(file: CirrusFile, etag: string | undefined): void {
    this.file = file;
    this.etag = etag;
    $("details-heading").textContent = file.filename ?? "";
    const facts: [string, string | undefined][] = [
      ["Size", bytes(file.size)],
      ["Type", file.contentType],
      ["Dimensions", file.image?.width ? `${file.image.width} × ${file.image.height}` : undefined],
      ["Taken", file.image?.takenAt ? new Date(file.image.takenAt).toLocaleString() : undefined],
      ["Camera", [file.image?.cameraMake, file.image?.cameraModel].filter(Boolean).join(" ") || undefined],
      ["Uploaded", file.createdAt ? new Date(file.createdAt).toLocaleString() : undefined],
      ["MD5", file.md5],
      ["CRC32C", file.crc32c],
      ["SHA-256", file.sha256],
    ];
    $("facts").replaceChildren(
      ...facts.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v!)]),
    );
    $<HTMLInputElement>("rename").value = file.filename ?? "";
    $<HTMLInputElement>("tags").value = (file.tags ?? []).join(", ");
  }

  private async save(): Promise<void> {
    if (!this.file) return;
    const patch: FilePatch = {
      filename: $<HTMLInputElement>("rename").value.trim(),
      tags: $<HTMLInputElement>("tags")
        .value.split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    };
    const id = this.file.id;
    try {
      const answer = await this.api.send<CirrusFile>("PATCH", `/v1/files/${id}`, patch, this.etag ? { "If-Match": this.etag } : {});
      this.render(answer.body, answer.etag);
      $("details-status").textContent = "Saved.";
      await this.changed();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        const now = await this.api.send<CirrusFile>("GET", `/v1/files/${id}`);
        this.render(now.body, now.etag);
        $("details-status").textContent =
          "This file was changed somewhere else, so your changes were not saved. Here is its current version.";
        await this.changed();
      } else {
        $("details-status").textContent = "";
        show(e);
      }
    }
  }

  private async download(): Promise<void> {
    if (!this.file) return;
    try {
      const url = await this.api.call<Download>("GET", `/v1/files/${this.file.id}/download?variant=original`);
      window.open(url.url, "_blank", "noopener");
    } catch (e) {
      show(e);
    }
  }

  private async remove(): Promise<void> {
    if (!this.file) return;
    try {
      await this.api.call("DELETE", `/v1/files/${this.file.id}`);
      this.close();
      await this.changed();
    } catch (e) {
      show(e);
    }
  }
}
