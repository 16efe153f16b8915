/**
 * Where the app finds Cirrus and Firebase: /config.json, written by whoever serves the app (the
 * local stack for the emulators, the Hosting build for production), so one build runs anywhere.
 */
export type Config = {
  apiUrl: string;
  projectId: string;
  apiKey: string;
  appId?: string;
  authDomain?: string;
  /** host:port of the Auth emulator; only ever set for demo- projects. */
  authEmulatorHost?: string;
  /** host:port of the Firestore emulator; only ever set for demo- projects. */
  firestoreEmulatorHost?: string;
  /** The local stack's App Check issuer (a custom provider); only ever set for demo- projects. */
  appCheckMintUrl?: string;
  /** reCAPTCHA Enterprise site key for App Check in production. */
  recaptchaSiteKey?: string;
};

export async function loadConfig(): Promise<Config> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`the app's configuration is missing (HTTP ${response.status})`);
  }
  return (await response.json()) as Config;
}
