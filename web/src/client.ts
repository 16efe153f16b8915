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
}

/** Calls the Cirrus API as the signed-in user. */
export class CirrusClient {
  constructor(
    private readonly apiUrl: string,
    private readonly token: () => Promise<string>,
  ) {}

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.apiUrl + path, {
        method,
        headers: {
          Authorization: `Bearer ${await this.token()}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, { detail: "Cirrus cannot be reached. Check your connection and try again." });
    }
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    if (!response.ok) {
      let problem: Problem = { detail: `The server answered ${response.status}.` };
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        // not problem+json: the status says enough
      }
      const retry = response.headers.get("Retry-After");
      throw new ApiError(response.status, problem, retry ? Number(retry) : undefined);
    }
    return JSON.parse(text) as T;
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
