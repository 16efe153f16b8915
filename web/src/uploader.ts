import type { Upload, UploadSession } from "./api";
import { ApiError, CirrusClient } from "./client";
import { sleep } from "./dom";

/** Chunks are multiples of 256 KiB, as Cloud Storage's resumable uploads require. */
export const CHUNK = 4 * 256 * 1024;
const SESSIONS = "cirrus.uploadSessions";

/** A session this browser keeps, so a reload or a dropped connection resumes it. */
export type Saved = { uploadId: string; uploadUrl: string; name: string; size: number; sent: number };

/** What the uploader tells the page while it works. */
export type Hooks = {
  progress: (sent: number) => void;
  cancelled: () => boolean;
  /** The network or the API is unreachable (true) and the uploader keeps trying, or is back (false). */
  offline: (down: boolean) => void;
};

function keyOf(file: File): string {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

export function savedSessions(): Record<string, Saved> {
  try {
    return JSON.parse(localStorage.getItem(SESSIONS) ?? "{}") as Record<string, Saved>;
  } catch {
    return {};
  }
}

function remember(file: File, session: Saved | undefined): void {
  const all = savedSessions();
  if (session) {
    all[keyOf(file)] = session;
  } else {
    delete all[keyOf(file)];
  }
  localStorage.setItem(SESSIONS, JSON.stringify(all));
}

/** The session has ended (expired or cancelled): the upload starts again with a new one. */
class SessionGone extends Error {}

/** Retries what fails for want of a network, with backoff, telling the page it is offline. */
async function persistently<T>(hooks: Hooks, attempt: () => Promise<T>): Promise<T> {
  for (let wait = 1000; ; wait = Math.min(wait * 2, 15_000)) {
    try {
      const result = await attempt();
      hooks.offline(false);
      return result;
    } catch (e) {
      const unreachable = e instanceof TypeError || (e instanceof ApiError && e.unreachable);
      if (!unreachable || hooks.cancelled()) throw e;
      hooks.offline(true);
      await sleep(wait);
    }
  }
}

/** How many bytes the session holds: its answer to an empty PUT (bytes *\/total). */
async function committed(url: string, size: number): Promise<number> {
  const response = await fetch(url, { method: "PUT", headers: { "Content-Range": `bytes */${size}` } });
  if (response.status === 200 || response.status === 201) return size;
  if (response.status !== 308) throw new SessionGone();
  return nextByte(response, 0);
}

function nextByte(response: Response, otherwise: number): number {
  const range = response.headers.get("Range");
  return range ? Number(range.split("-")[1]) + 1 : otherwise;
}

/**
 * Sends {@code file} through a resumable session in chunks, reporting progress; resumes a session
 * this browser kept for the same file; returns the upload's id once its bytes are all sent.
 */
export async function sendFile(client: CirrusClient, file: File, hooks: Hooks): Promise<string> {
  let session: Saved | undefined = savedSessions()[keyOf(file)];
  let offset = 0;
  if (session) {
    const kept = session;
    offset = await persistently(hooks, () => committed(kept.uploadUrl, file.size)).catch((e) => {
      if (!(e instanceof SessionGone)) throw e;
      session = undefined; // expired or gone: a new session
      return 0;
    });
  }
  for (;;) {
    if (!session) {
      // One key for this session's create and every retry of it: a create whose answer was lost
      // is answered again, not made twice. A new session (the old one expired) gets a new key.
      const key = crypto.randomUUID();
      const created = await persistently(hooks, () =>
        client.call<UploadSession>(
          "POST",
          "/v1/uploads",
          {
            filename: file.name,
            contentType: file.type || "application/octet-stream",
            size: file.size,
          },
          { "Idempotency-Key": key },
        ),
      );
      session = { uploadId: created.uploadId!, uploadUrl: created.uploadUrl!, name: file.name, size: file.size, sent: 0 };
      remember(file, session);
      offset = 0;
    }
    try {
      await sendChunks(client, file, session, offset, hooks);
      remember(file, undefined);
      return session.uploadId;
    } catch (e) {
      if (!(e instanceof SessionGone)) throw e;
      remember(file, undefined);
      session = undefined; // the session expired while we sent: start again
    }
  }
}

async function sendChunks(client: CirrusClient, file: File, session: Saved, from: number, hooks: Hooks): Promise<void> {
  let offset = from;
  hooks.progress(offset);
  while (offset < file.size) {
    if (hooks.cancelled()) {
      await client.call("DELETE", `/v1/uploads/${session.uploadId}`).catch(() => undefined);
      remember(file, undefined);
      throw new ApiError(0, { code: "cancelled", detail: "cancelled" });
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
      hooks.offline(true);
      await sleep(1000);
      offset = await persistently(hooks, () => committed(session.uploadUrl, file.size));
      continue;
    }
    if (response.status === 308) {
      offset = nextByte(response, offset);
    } else if (response.ok) {
      offset = file.size;
    } else if (response.status === 404 || response.status === 410) {
      throw new SessionGone();
    } else {
      throw new ApiError(response.status, { detail: `the upload was refused (HTTP ${response.status})` });
    }
    hooks.offline(false);
    session.sent = offset;
    remember(file, session);
    hooks.progress(offset);
  }
}

/** Waits until the pipeline has decided on the upload: ready, or rejected with a reason. */
export async function settled(client: CirrusClient, uploadId: string): Promise<Upload> {
  for (let i = 0; i < 240; i++) {
    const upload = await client.call<Upload>("GET", `/v1/uploads/${uploadId}`);
    if (upload.status !== "pending" && upload.status !== "uploaded" && upload.status !== "processing") {
      return upload;
    }
    await sleep(500);
  }
  throw new ApiError(0, { detail: "the file is taking long to process; it will appear when it is ready" });
}
