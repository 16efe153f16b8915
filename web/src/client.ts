import type { Problem } from "./api";

/** An API refusal, with the words the API chose for the user (problem+json's detail). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** No answer at all: the network or the API is down; worth retrying. */
  get unreachable(): boolean {
    return this.status === 0 && this.problem.code === "unreachable";
  }
}

export type Answer<T> = { body: T; etag?: string };

/** What the client needs from the session: tokens, and what to do when the account is refused. */
export type Credentials = {
  idToken: (refresh: boolean) => Promise<string>;
  appCheckToken: () => Promise<string | undefined>;
  /** The user was disabled or their tokens revoked: sign out and say why. */
  refused: (why: string) => void;
};

/** Calls the Cirrus API as the signed-in user. */
export class CirrusClient {
  constructor(
    private readonly apiUrl: string,
    private readonly credentials: Credentials,
  ) {}

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return (await this.send<T>(method, path, body, headers)).body;
  }

  async send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    let response = await this.once(method, path, body, headers, false);
    if (response.status === 401) {
      // A revoked token is worth one refresh: a password change revokes the old ones.
      const problem = await problemOf(response);
      if (problem.code === "token-revoked" || problem.code === "expired-token") {
        response = await this.once(method, path, body, headers, true);
      } else {
        throw this.refusal(response, problem);
      }
    }
    if (response.status === 204 || response.status === 304) {
      return { body: undefined as T, etag: response.headers.get("ETag") ?? undefined };
    }
    if (!response.ok) {
      throw this.refusal(response, await problemOf(response));
    }
    return { body: (await response.json()) as T, etag: response.headers.get("ETag") ?? undefined };
  }

  private refusal(response: Response, problem: Problem): ApiError {
    if (response.status === 401 && ["user-disabled", "token-revoked", "user-not-found"].includes(problem.code ?? "")) {
      const why =
        problem.code === "user-disabled"
          ? "Your account has been disabled, so you were signed out."
          : "Your session was ended, so you were signed out. Sign in again.";
      this.credentials.refused(why);
      return new ApiError(401, { code: "signed-out", detail: why });
    }
    const retry = response.headers.get("Retry-After");
    return new ApiError(response.status, problem, retry ? Number(retry) : undefined);
  }

  private async once(method: string, path: string, body: unknown, headers: Record<string, string>, refresh: boolean): Promise<Response> {
    let idToken: string;
    try {
      idToken = await this.credentials.idToken(refresh);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (/user-disabled|user-not-found|user-token-expired/.test(why)) {
        this.credentials.refused("Your account can no longer sign in, so you were signed out.");
      }
      throw new ApiError(401, { code: "signed-out", detail: "You are signed out. Sign in again." });
    }
    const appCheck = await this.credentials.appCheckToken().catch(() => undefined);
    try {
      return await fetch(this.apiUrl + path, {
        method,
        headers: {
          Authorization: `Bearer ${idToken}`,
          ...(appCheck ? { "X-Firebase-AppCheck": appCheck } : {}),
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, { code: "unreachable", detail: "Cirrus cannot be reached. Check your connection." });
    }
  }
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Problem;
  } catch {
    return { detail: `The server answered ${response.status}.` };
  }
}

/** What a rejection reason means, in words. */
export function reasonInWords(reason: string | undefined): string {
  switch (reason) {
    case "type-not-allowed":
      return "this kind of file is not accepted";
    case "type-mismatch":
      return "the file's contents are not what its name says";
    case "size-mismatch":
      return "the file changed size while it was sent";
    case "checksum-mismatch":
      return "the file arrived damaged";
    case "empty":
      return "the file is empty";
    case "image-too-large":
      return "the image is too large";
    case "image-unreadable":
      return "the image cannot be read";
    case "object-missing":
      return "the file's bytes never arrived";
    default:
      return reason ?? "it was refused";
  }
}

/** Human sizes: 1.2 MB. */
export function bytes(n: number | undefined): string {
  if (n === undefined) return "";
  const units = ["bytes", "KB", "MB", "GB"];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${n} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
