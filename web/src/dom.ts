import { ApiError } from "./client";

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A new element with properties and children: the one way this app builds its DOM. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { aria?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const { aria, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  for (const [name, value] of Object.entries(aria ?? {})) {
    node.setAttribute(name === "role" ? "role" : `aria-${name}`, value);
  }
  node.append(...children);
  return node;
}

/** Firebase Auth's refusals, in words. */
const AUTH_WORDS: Record<string, string> = {
  "user-disabled": "This account has been disabled.",
  "invalid-credential": "The email or the password is wrong.",
  "wrong-password": "The email or the password is wrong.",
  "user-not-found": "The email or the password is wrong.",
  "email-already-in-use": "An account with this email exists: sign in instead.",
  "weak-password": "Choose a password of at least 6 characters.",
  "invalid-email": "That is not an email address.",
  "too-many-requests": "Too many attempts: wait a moment and try again.",
  "network-request-failed": "Cirrus cannot be reached. Check your connection.",
};

/** What went wrong, in words: the API's detail, and when to try again after a 429. */
export function words(problem: unknown): string {
  if (problem instanceof ApiError) {
    return problem.retryAfterSeconds !== undefined
      ? `${problem.message} Try again in ${problem.retryAfterSeconds} s.`
      : problem.message;
  }
  if (problem instanceof Error) {
    const code = /\(auth\/([a-z-]+)\)/.exec(problem.message)?.[1];
    return (code && AUTH_WORDS[code]) ?? problem.message.replace(/^Firebase: /, "");
  }
  return String(problem);
}

/** Shows a problem in the page's alert region; nothing fails silently. */
export function show(problem: unknown): void {
  $("problem").textContent = words(problem);
}

export function clearProblem(): void {
  $("problem").textContent = "";
}

/** The banner that says the API cannot be reached and that the app keeps trying. */
export function offline(on: boolean): void {
  $("offline").hidden = !on;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
