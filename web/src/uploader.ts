import type { Upload, UploadSession } from "./api";
import { ApiError, CirrusClient } from "./client";

/** Chunks are multiples of 256 KiB, as Cloud Storage's resumable uploads require. */
export const CHUNK = 4 * 256 * 1024;
const SESSIONS = "cirrus.uploadSessions";

type Saved = { uploadId: string; uploadUrl: string };

/** Where a file's session is kept, so a reload or a dropped connection resumes it. */
function keyOf(file: File): string {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

function saved(): Record<string, Saved> {
  try {
    return JSON.parse(localStorage.getItem(SESSIONS) ?? "{}") as Record<string, Saved>;
  } catch {
    return {};
  }
}

function remember(file: File, session: Saved | undefined): void {
  const all = saved();
  if (session) {
    all[keyOf(file)] = session;
  } else {
    delete all[keyOf(file)];
  }
  localStorage.setItem(SESSIONS, JSON.stringify(all));
}

/** How many bytes the session already holds: its answer to an empty PUT (bytes *\/total). */
async function committed(url: string, size: number): Promise<number> {
  const response = await fetch(url, { method: "PUT", headers: { "Content-Range": `bytes */${size}` } });
  if (response.status === 200 || response.status === 201) {
    return size;
  }
  if (response.status !== 308) {
    throw new ApiError(response.status, { detail: "the upload session has ended; start the upload again" });
  }
  const range = response.headers.get("Range");
  return range ? Number(range.split("-")[1]) + 1 : 0;
}

/**
 * Sends {@code file} through a resumable session in chunks, reporting progress; resumes a session
 * this browser kept for the same file; returns the upload once its bytes are all sent.
 */
export async function sendFile(
  client: CirrusClient,
  file: File,
  progress: (sent: number) => void,
  cancelled: () => boolean,
): Promise<string> {
  let session: Saved | undefined = saved()[keyOf(file)];
  let offset = 0;
  if (session) {
    try {
      offset = await committed(session.uploadUrl, file.size);
    } catch {
      session = undefined; // expired or gone: a new session
    }
  }
  if (!session) {
    const created = await client.call<UploadSession>("POST", "/v1/uploads", {
      filename: file.name,
      contentType: file.type || "application/octet-stream",
      size: file.size,
    });
    session = { uploadId: created.uploadId!, uploadUrl: created.uploadUrl! };
    remember(file, session);
  }
  progress(offset);
  while (offset < file.size) {
    if (cancelled()) {
      await client.call("DELETE", `/v1/uploads/${session.uploadId}`).catch(() => undefined);
      remember(file, undefined);
      throw new ApiError(0, { detail: "cancelled" });
    }
    const end = Math.min(offset + CHUNK, file.size);
    let response: Response;
    try {
      response = await fetch(session.uploadUrl, {
        method: "PUT",
        headers: { "Content-Range": `bytes ${offset}-${end - 1}/${file.size}` },
        body: file.slice(offset, end),
      });
    } catch {
      // The connection dropped: ask the session what it holds, then go on from there.
      await new Promise((r) => setTimeout(r, 1000));
      offset = await committed(session.uploadUrl, file.size);
      continue;
    }
    if (response.status === 308) {
      const range = response.headers.get("Range");
      offset = range ? Number(range.split("-")[1]) + 1 : offset;
    } else if (response.ok) {
      offset = file.size;
    } else {
      throw new ApiError(response.status, { detail: `the upload was refused (HTTP ${response.status})` });
    }
    progress(offset);
  }
  remember(file, undefined);
  return session.uploadId;
}

/** Waits until the pipeline has decided on the upload: ready, or rejected with a reason. */
export async function settled(client: CirrusClient, uploadId: string): Promise<Upload> {
  for (let i = 0; i < 120; i++) {
    const upload = await client.call<Upload>("GET", `/v1/uploads/${uploadId}`);
    if (upload.status !== "pending" && upload.status !== "uploaded" && upload.status !== "processing") {
      return upload;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new ApiError(0, { detail: "the file is taking long to process; it will appear when it is ready" });
}
