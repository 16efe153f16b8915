import { initializeApp } from "firebase/app";
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut,
  type User,
} from "firebase/auth";
import type { Download, File as CirrusFile, FileList as CirrusFileList } from "./api";
import { ApiError, CirrusClient, reasonInWords } from "./client";
import { loadConfig } from "./config";
import { sendFile, settled } from "./uploader";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Shows what went wrong in words; nothing fails silently. */
function show(problem: unknown): void {
  const text =
    problem instanceof ApiError
      ? problem.retryAfterSeconds !== undefined
        ? `${problem.message} Try again in ${problem.retryAfterSeconds} s.`
        : problem.message
      : problem instanceof Error
        ? problem.message.replace(/^Firebase: /, "")
        : String(problem);
  $("problem").textContent = text;
}

function clearProblem(): void {
  $("problem").textContent = "";
}

async function start(): Promise<void> {
  const config = await loadConfig();
  const app = initializeApp({
    apiKey: config.apiKey,
    projectId: config.projectId,
    authDomain: config.authDomain ?? `${config.projectId}.firebaseapp.com`,
  });
  const auth = getAuth(app);
  if (config.authEmulatorHost) {
    connectAuthEmulator(auth, `http://${config.authEmulatorHost}`, { disableWarnings: true });
  }
  let client: CirrusClient | undefined;
  let nextPage: string | undefined;

  const form = $<HTMLFormElement>("auth");
  const credentials = () => [$<HTMLInputElement>("email").value, $<HTMLInputElement>("password").value] as const;
  $("sign-up").addEventListener("click", async () => {
    clearProblem();
    if (!form.reportValidity()) return;
    const [email, password] = credentials();
    await createUserWithEmailAndPassword(auth, email, password).catch(show);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem();
    const [email, password] = credentials();
    await signInWithEmailAndPassword(auth, email, password).catch(show);
  });
  $("sign-out").addEventListener("click", () => signOut(auth).catch(show));

  onAuthStateChanged(auth, (user: User | null) => {
    $("auth").hidden = user !== null;
    $("app").hidden = user === null;
    $("sign-out").hidden = user === null;
    $("who").textContent = user ? `Signed in as ${user.email}` : "";
    $("files").replaceChildren();
    $("uploads").replaceChildren();
    client = user ? new CirrusClient(config.apiUrl, () => user.getIdToken()) : undefined;
    if (client) {
      nextPage = undefined;
      void loadFiles(client, false);
    }
  });

  $<HTMLInputElement>("files-input").addEventListener("change", (event) => {
    const input = event.target as HTMLInputElement;
    for (const file of Array.from(input.files ?? [])) {
      if (client) void upload(client, file);
    }
    input.value = "";
  });
  $("more").addEventListener("click", () => client && void loadFiles(client, true));

  async function loadFiles(api: CirrusClient, more: boolean): Promise<void> {
    try {
      const page = await api.call<CirrusFileList>(
        "GET",
        `/v1/files?pageSize=24${more && nextPage ? `&pageToken=${encodeURIComponent(nextPage)}` : ""}`,
      );
      const items = await Promise.all((page.files ?? []).map((f) => fileItem(api, f)));
      if (more) {
        $("files").append(...items);
      } else {
        $("files").replaceChildren(...items);
      }
      nextPage = page.nextPageToken;
      $("more").hidden = !nextPage;
    } catch (e) {
      show(e);
    }
  }

  async function fileItem(api: CirrusClient, file: CirrusFile): Promise<HTMLLIElement> {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = file.filename ?? "";
    if (file.status === "ready" && (file.thumbnails ?? []).length > 0) {
      const img = document.createElement("img");
      img.alt = file.filename ?? "";
      img.width = file.thumbnails![0].width ?? 256;
      img.height = file.thumbnails![0].height ?? 256;
      const url = await api.call<Download>("GET", `/v1/files/${file.id}/download?variant=thumb256`);
      img.src = url.url ?? "";
      li.append(img);
    }
    li.append(name);
    return li;
  }

  async function upload(api: CirrusClient, file: globalThis.File): Promise<void> {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = file.name;
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Cancel";
    cancel.setAttribute("aria-label", `Cancel ${file.name}`);
    const bar = document.createElement("progress");
    bar.max = file.size;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    li.append(label, cancel, bar);
    $("uploads").append(li);
    let cancelled = false;
    cancel.addEventListener("click", () => (cancelled = true));
    try {
      const uploadId = await sendFile(api, file, (sent) => (bar.value = sent), () => cancelled);
      cancel.remove();
      label.textContent = `${file.name}: processing`;
      const done = await settled(api, uploadId);
      if (done.status === "ready") {
        li.remove();
        await loadFiles(api, false);
      } else {
        bar.remove();
        li.classList.add("rejected");
        label.textContent = `${file.name} was not accepted: ${reasonInWords(done.reason)}.`;
      }
    } catch (e) {
      bar.remove();
      cancel.remove();
      li.classList.add("rejected");
      label.textContent = `${file.name}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

start().catch(show);
